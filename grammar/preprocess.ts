/**
 * keepalived's `read_line()`, ported: turns files into the logical lines its
 * keyword matcher sees. In order, per physical line: byte limits, CR
 * stripping, `decomment`, multi-line `$NAME=` collection, `@id` conditionals,
 * `$NAME=` definitions, `~SEQ`/`~LST` generators, `$NAME` substitution,
 * `include`, and finally the cut at the first unquoted brace.
 *
 * Every produced character keeps its source position (see line.ts), so
 * diagnostics point at the original text through includes and expansions.
 */
import { posix } from 'node:path';
import type { Dialect } from './dialect.ts';
import { readerRules } from './diagnostics.ts';
import { glob, hasBrace } from './glob.ts';
import type { Host } from './host.ts';
import { decomment, findBrace, type Frame, Line } from './line.ts';
import type { Reporter } from './report.ts';
import { createSourceFile, type Range, type SourceFile } from './source.ts';

/** keepalived's MAXBUF: a line must fit in 1024 bytes with its newline and terminator. */
const MAX_LINE_BYTES = 1023;
/** Substitutions in one line before kalint concludes keepalived would never finish it. */
const MAX_SUBSTITUTIONS_PER_LINE = 1000;

export const INCLUDE_R = 1;
export const INCLUDE_M = 2;
export const INCLUDE_W = 4;
export const INCLUDE_B = 8;

const INCLUDE_TYPES: Record<string, number> = {
  include: 0,
  includer: INCLUDE_R,
  includem: INCLUDE_R | INCLUDE_M,
  includew: INCLUDE_R | INCLUDE_M | INCLUDE_W,
  includeb: INCLUDE_R | INCLUDE_B,
  includea: INCLUDE_R | INCLUDE_M | INCLUDE_W | INCLUDE_B,
};

interface Definition {
  name: string;
  /** For multi-line definitions, lines are separated by `\n`. */
  value: string;
  multiline: boolean;
  /** Built-in definitions compute their value from their parameters. */
  compute?: (params: string[]) => string | undefined;
  minParams: number;
  maxParams: number;
  numbersOnly: boolean;
  origin?: Range;
}

interface OpenFile {
  file: SourceFile;
  /** Offset of the next physical line. */
  pos: number;
}

/** One include directive (or the main file): a glob and the file of it being read. */
interface IncludeEntry {
  paths: string[];
  nextPath: number;
  includeType: number;
  savedIncludeCheck: number;
  /** The directory relative paths resolve against while this entry's files are read. */
  dir: string;
  /** The directory to return to when a file ends. */
  parentDir: string;
  open: OpenFile | undefined;
  site: Range | undefined;
}

/** Lines still to come from a multi-line definition. */
interface PendingExpansion {
  rest: string;
  site: Range;
  frame: Frame;
  seqDepth: number;
}

interface SeqGenerator {
  /** ~SEQ: variable and values; ~LST: variables and value sets. */
  vars: string[];
  values: string[][];
  next: number;
  body: Line;
  header: Range;
  kind: 'seq' | 'list';
}

export interface LineReaderOptions {
  host: Host;
  dialect: Dialect;
  /** The `-i` config id; undefined makes every `@id` line false and every `@^id` line true. */
  configId: string | undefined;
  reporter: Reporter;
  /** Lines generators and multi-line definitions may produce in one read, so that no input can make kalint hang. */
  maxGeneratedLines?: number;
}

export class LineReader {
  /** Every file read, in the order opened. */
  readonly files: SourceFile[] = [];
  /** Source ranges of lines dropped by a false `@id` condition (for editors). */
  readonly inactiveRanges: Range[] = [];
  /** The global_defs `include_check` flags in force. */
  includeCheck = 0;
  blockDepth = 0;

  private readonly host: Host;
  private readonly dialect: Dialect;
  private readonly configId: string | undefined;
  private readonly reporter: Reporter;
  private readonly stack: IncludeEntry[] = [];
  private readonly defs = new Map<string, Definition>();
  private collecting: Definition | undefined;
  private pending: PendingExpansion | undefined;
  private readonly pendingStack: PendingExpansion[] = [];
  private generators: SeqGenerator[] = [];
  private multilineSeqDepth = 0;
  private residue: Line | undefined;
  /**
   * Substitutions made on one physical line, the pieces its brace cuts leave included: keepalived
   * re-reads those pieces, so a definition that expands into `}` and itself (`$A=}$A`) never ends.
   * Past the limit the line is given up.
   */
  private lineSubstitutions = 0;
  private generated = 0;
  private readonly maxGenerated: number;
  private budgetReported = false;
  private readonly fileCache = new Map<string, SourceFile | { error: string }>();

  constructor(opts: LineReaderOptions) {
    this.host = opts.host;
    this.dialect = opts.dialect;
    this.configId = opts.configId;
    this.reporter = opts.reporter;
    this.maxGenerated = opts.maxGeneratedLines ?? 200_000;
    this.addBuiltinDefinitions();
  }

  /** Opens the main configuration file; false (with nothing reported) when it cannot be read. */
  openMain(path: string): SourceFile | { error: string } {
    const loaded = this.load(posix.resolve(this.host.cwd(), path), path);
    if (!('text' in loaded)) return loaded;
    const dir = path.includes('/') ? posix.resolve(this.host.cwd(), posix.dirname(path)) : this.host.cwd();
    this.stack.push({
      paths: [path],
      nextPath: 1,
      includeType: INCLUDE_R | INCLUDE_M | INCLUDE_W,
      savedIncludeCheck: 0,
      dir,
      parentDir: this.host.cwd(),
      open: { file: loaded, pos: 0 },
      site: undefined,
    });
    this.files.push(loaded);
    return loaded;
  }

  /** The include directives leading to the file being read, innermost first. */
  includeChain(): Range[] {
    const out: Range[] = [];
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const site = this.stack[i]!.site;
      if (site) out.push(site);
    }
    return out;
  }

  private get cwd(): string {
    return this.stack[this.stack.length - 1]?.dir ?? this.host.cwd();
  }

  private load(absPath: string, shownPath: string): SourceFile | { error: string } {
    const cached = this.fileCache.get(absPath);
    if (cached) return cached;
    const bytes = this.host.readFile(absPath);
    const loaded = bytes instanceof Uint8Array ? createSourceFile(shownPath, bytes, absPath) : bytes;
    this.fileCache.set(absPath, loaded);
    return loaded;
  }

  // ---------------------------------------------------------------- definitions

  private addBuiltinDefinitions(): void {
    const d = this.dialect;
    if (!d.definitions) return;
    const builtin = (name: string, compute: Definition['compute'], minParams = 0, maxParams = 0, numbersOnly = false) =>
      this.defs.set(name, { name, value: '', multiline: false, compute, minParams, maxParams, numbersOnly });
    builtin('_PWD', () => this.cwd);
    builtin('_INSTANCE', () => this.configId);
    // keepalived picks a random number; kalint takes the lowest so that every run reads the same value.
    if (d.randomDefinition) builtin('_RANDOM', (params) => String(params.length ? Number(params[0]) : 0), 0, 2, true);
    if (d.envDefinition) builtin('_ENV', (params) => this.host.env(params[0] ?? ''), 1, 1);
    if (d.hashBangDefinitions) {
      builtin('_HASH', () => '#');
      builtin('_BANG', () => '!');
    }
  }

  /** `$NAME=value` (check_definition): returns the definition, or undefined when the line is not one. */
  private defineFrom(line: Line): Definition | undefined {
    const t = line.text;
    if (t.charCodeAt(0) !== 36 /* $ */ || !isAlpha(t.charCodeAt(1))) return undefined;
    let p = 2;
    for (; p < t.length; p++) {
      const c = t.charCodeAt(p);
      if (c === 61 /* = */) break;
      if (!isAlnum(c)) return undefined;
    }
    if (t.charCodeAt(p) !== 61) return undefined;
    const name = t.slice(1, p);
    p++;
    while (p < t.length && isBlank(t.charCodeAt(p))) p++;
    let value = t.slice(p);
    let multiline = false;
    if (value.endsWith('\\')) {
      let len = value.length;
      while (len >= 2 && isBlank(value.charCodeAt(len - 2))) len--;
      value = len < 2 ? '' : value.slice(0, len - 1) + '\n';
      multiline = true;
    }
    const def: Definition = { name, value, multiline, minParams: 0, maxParams: 0, numbersOnly: false, origin: line.range(0, t.length) };
    this.defs.set(name, def);
    return def;
  }

  /**
   * `find_definition` for a reference starting after the `$` at text index `at`:
   * the definition and the end of the reference, or undefined.
   */
  private findReference(line: Line, at: number): { def: Definition; end: number; params: string[] } | undefined {
    const t = line.text;
    let p = at;
    const braces = t.charCodeAt(p) === 123;
    if (braces) p++;
    if (!isAlpha(t.charCodeAt(p))) return undefined;
    const nameStart = p;
    while (p < t.length && isAlnum(t.charCodeAt(p))) p++;
    const name = t.slice(nameStart, p);
    let paramText = '';
    let end: number;
    if (braces) {
      const paramsStart = p;
      while (p < t.length && (isBlank(t.charCodeAt(p)) || isAlnum(t.charCodeAt(p)))) p++;
      paramText = t.slice(paramsStart, p);
      // A parameter list may not end with a blank.
      if (paramText.trim() && isBlank(paramText.charCodeAt(paramText.length - 1))) return undefined;
      if (t.charCodeAt(p) !== 125) return undefined;
      end = p + 1;
    } else {
      const c = t.charCodeAt(p);
      if (p < t.length && c !== 32 && c !== 9 && c !== 44 && c !== 41) return undefined;
      end = p;
    }
    const allowMultiline = end === t.length;
    const def = this.defs.get(name);
    if (!def || (def.multiline && !allowMultiline)) return undefined;
    const params = paramText.split(/[ \t]+/).filter(Boolean);
    if (params.length) {
      const range = line.range(at - 1, end);
      if (!def.maxParams) return undefined;
      if (def.numbersOnly && !params.every((x) => /^[0-9]+$/.test(x))) {
        this.reporter.report(readerRules.syntax, range, `Definition ${name} requires numeric parameters only.`);
        return undefined;
      }
      if (params.length > def.maxParams || params.length < def.minParams) {
        this.reporter.report(
          readerRules.syntax,
          range,
          `Definition ${name} requires between ${def.minParams} and ${def.maxParams} parameters, ${params.length} specified.`,
        );
        return undefined;
      }
    }
    return { def, end, params };
  }

  /**
   * `replace_param`: substitutes every reference, rescanning inserted text.
   * A multi-line definition (only allowed last on a line) leaves its other lines in `multiline`.
   */
  private substitute(line: Line): { line: Line; changed: boolean; multiline?: PendingExpansion } {
    let changed = false;
    let multiline: PendingExpansion | undefined;
    let cur = line.text.indexOf('$');
    while (cur >= 0 && cur + 1 < line.length) {
      const ref = this.findReference(line, cur + 1);
      if (!ref) {
        cur = line.text.indexOf('$', cur + 1);
        continue;
      }
      changed = true;
      if (++this.lineSubstitutions > MAX_SUBSTITUTIONS_PER_LINE) {
        this.reporter.report(
          readerRules.syntax,
          line.range(cur, ref.end),
          `$${ref.def.name} keeps expanding into another reference: keepalived never finishes reading this line`,
          { frame: line.frameIn(cur, ref.end) },
        );
        return { line, changed: false };
      }
      const { def } = ref;
      const frame: Frame = { kind: 'definition', name: def.name, parent: line.frameIn(cur, ref.end) };
      if (def.origin) frame.origin = def.origin;
      let value = def.compute ? (def.compute(ref.params) ?? '') : def.value;
      if (def.multiline) {
        const nl = value.indexOf('\n');
        const first = nl < 0 ? value : value.slice(0, nl);
        multiline = { rest: nl < 0 ? '' : value.slice(nl + 1), site: line.range(cur, ref.end), frame, seqDepth: this.multilineSeqDepth };
        value = first;
      }
      if (byteLength(line.text) - (ref.end - cur) + byteLength(value) >= MAX_LINE_BYTES + 1) {
        this.reporter.report(
          readerRules.syntax,
          line.range(cur, ref.end),
          `Parameter substitution on this line would exceed keepalived's maximum line length (${MAX_LINE_BYTES} bytes); keepalived stops substituting here`,
          { frame },
        );
        return { line, changed: false };
      }
      line = line.replace(cur, ref.end, value, frame);
      if (value.length && value.trimStart().startsWith('~')) break;
      cur = line.text.indexOf('$', cur);
    }
    return multiline ? { line, changed, multiline } : { line, changed };
  }

  /** Makes a multi-line expansion the source of the next lines, saving one already under way. */
  private startMultiline(m: PendingExpansion): void {
    if (this.pending) this.pendingStack.push(this.pending);
    this.pending = m;
    this.multilineSeqDepth = this.generators.length;
  }

  // ---------------------------------------------------------------- generators

  private tooManyGenerated(at: Range): boolean {
    if (this.generated++ < this.maxGenerated) return false;
    if (!this.budgetReported) {
      this.budgetReported = true;
      this.reporter.report(
        readerRules.syntax,
        at,
        `Expansions produce more than ${this.maxGenerated} lines; kalint stops expanding here`,
      );
    }
    return true;
  }

  /** `add_seq`: `~SEQ(VAR, [START,] [STEP,] END) body` or `~SEQx(...)`. */
  private addSeq(line: Line): void {
    const t = line.text;
    const whole = line.range(0, t.length);
    let p = 4;
    const hex = t[p] === 'x';
    if (hex) p++;
    const invalid = (msg: string) => {
      this.reporter.report(readerRules.syntax, whole, msg);
      this.reporter.report(readerRules.syntax, whole, `Invalid ~SEQ specification '${t}'`);
    };
    if (hex && !this.dialect.seqHexAndLists) return invalid(`~SEQx needs keepalived 2.1.0 or later`);
    p = skipBlanks(t, p);
    if (t[p] !== '(') return invalid(`Invalid ~SEQ definition '${t}'`);
    p = skipBlanks(t, p + 1);
    const varStart = p;
    while (p < t.length && !' \t,)'.includes(t[p]!)) p++;
    const varName = t.slice(varStart, p);
    p = skipBlanks(t, p);
    if (p >= t.length || t[p] === ')' || varName === '' || varName.startsWith('{')) return invalid(`Invalid ~SEQ definition '${t}'`);
    p = skipBlanks(t, p + 1);
    const close = t.indexOf(')', p);
    if (close < 0) return invalid(`~SEQ missing terminating ')' '${t}'`);
    const paramLine = this.substitute(line.slice(p, close + 1));
    if (paramLine.multiline) return invalid(`~SEQ parameter is multiline definition '${t}'`);
    const nums = parseSeqNumbers(paramLine.line.text);
    if (!nums) return invalid(`Invalid ~SEQ definition '${t}'`);
    const { start, step, end } = nums;
    if (!step || (start < end && step < 0) || (start > end && step > 0)) return invalid(`Invalid ~SEQ values '${t}'`);
    if (hex && (start < 0 || end < 0)) return invalid(`~SEQx is only valid for positive numbers '${t}'`);
    const values: string[][] = [];
    for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
      values.push([hex ? v.toString(16) : String(v)]);
      if (values.length > this.maxGenerated) break;
    }
    const bodyStart = skipBlanks(t, close + 1);
    this.generators.push({ vars: [varName], values, next: 0, body: line.slice(bodyStart), header: line.range(0, close + 1), kind: 'seq' });
  }

  /** `add_lst`: `~LST(VAR, v1, v2 ...)` or `~LST({V1,V2}, {a1,a2}, ...)`. */
  private addList(line: Line): void {
    const t = line.text;
    const whole = line.range(0, t.length);
    const invalid = (msg = `Invalid ~LST specification '${t}'`): void => {
      this.reporter.report(readerRules.syntax, whole, msg);
    };
    if (!this.dialect.seqHexAndLists) return invalid(`~LST needs keepalived 2.1.0 or later`);
    const parsed = parseList(t);
    if (typeof parsed === 'string') return invalid(parsed === 'too-many' ? `~LST specification has too many values '${t}'` : undefined);
    this.generators.push({
      vars: parsed.vars,
      values: parsed.values,
      next: 0,
      body: line.slice(parsed.bodyStart),
      header: line.range(0, parsed.bodyStart),
      kind: 'list',
    });
  }

  private emitGenerated(): Line | undefined {
    const g = this.generators[this.generators.length - 1]!;
    const values = g.values[g.next]!;
    g.vars.forEach((v, i) => this.setDefinition(v, values[i] ?? '', g.header));
    g.next++;
    if (g.next >= g.values.length) this.generators.pop();
    if (this.tooManyGenerated(g.header)) {
      this.generators = [];
      return undefined;
    }
    const frame: Frame = { kind: g.kind, name: g.vars.join(','), value: values.join(','), origin: g.header };
    return g.body.withFrame(frame);
  }

  private setDefinition(name: string, value: string, origin: Range): void {
    this.defs.set(name, { name, value, multiline: false, minParams: 0, maxParams: 0, numbersOnly: false, origin });
  }

  // ---------------------------------------------------------------- files and includes

  /** The next physical line of the current file, or undefined at the end of every file. */
  /** Whether the last physical line returned ended the file without a newline. */
  private lastLineOfFile = false;
  /** The line just read from a file needs none of the preprocessor's steps (see plainSpan). */
  private plain = false;

  private nextPhysical(): Line | undefined {
    while (this.stack.length) {
      const entry = this.stack[this.stack.length - 1]!;
      const open = entry.open;
      if (open && open.pos < open.file.text.length) {
        const text = open.file.text;
        const start = open.pos;
        let nl = text.indexOf('\n', start);
        if (nl < 0) nl = text.length;
        open.pos = nl + 1;
        this.lastLineOfFile = nl === text.length;
        return Line.fromSource(open.file, start, text.slice(start, nl));
      }
      if (!this.openNextMatch(entry)) {
        this.stack.pop();
        this.includeCheck = entry.savedIncludeCheck;
      }
    }
    return undefined;
  }

  /**
   * Applies keepalived's byte limits to one physical line: lines of 1023 bytes
   * or more are read in 1023-byte pieces (2.4.0+ reports and drops the
   * incomplete pieces), and a NUL byte ends what keepalived sees of a line.
   */
  private *pieces(line: Line, lastLine: boolean): Generator<Line> {
    let text = line.text;
    if (text.length * 3 >= MAX_LINE_BYTES || text.includes('\0')) {
      let from = 0;
      while (byteLength(text.slice(from)) + 1 > MAX_LINE_BYTES) {
        const cut = from + charsWithinBytes(text.slice(from), MAX_LINE_BYTES);
        const piece = line.slice(from, cut);
        if (this.dialect.dropsLongAndNulLines) {
          this.reporter.report(readerRules.syntax, piece.range(0, piece.length), 'line too long - ignoring (keepalived reads at most 1022 bytes per line)');
        } else {
          this.reporter.report(
            readerRules.syntax,
            piece.range(0, piece.length),
            'Line longer than 1022 bytes: keepalived reads the rest of it as a separate line',
          );
          yield piece;
        }
        from = cut;
      }
      line = line.slice(from);
      text = line.text;
      const nul = text.indexOf('\0');
      if (nul >= 0) {
        if (this.dialect.dropsLongAndNulLines && !lastLine) {
          this.reporter.report(readerRules.syntax, line.range(nul, nul + 1), 'configuration appears to have embedded NULs - ignoring line');
          return;
        }
        this.reporter.report(readerRules.syntax, line.range(nul, nul + 1), 'NUL byte: keepalived ignores the rest of this line', {
          severity: 'warning',
        });
        line = line.slice(0, nul);
      }
    }
    yield line;
  }

  private readonly queued: Line[] = [];

  /** The next non-blank decommented line from the files (the fgets loop of read_line). */
  private nextFileLine(): Line | undefined {
    while (true) {
      let raw = this.queued.length ? this.queued.shift() : undefined;
      if (!raw) {
        const phys = this.nextPhysical();
        if (!phys) return undefined;
        if (phys.length * 3 >= MAX_LINE_BYTES || phys.text.includes('\0')) {
          this.queued.push(...this.pieces(phys, this.lastLineOfFile));
          continue;
        }
        raw = phys;
      }
      let len = raw.length;
      while (len && (raw.text.charCodeAt(len - 1) === 10 || raw.text.charCodeAt(len - 1) === 13)) len--;
      if (len === 0) {
        if (this.collecting) this.endCollecting();
        continue;
      }
      const plain = plainSpan(raw.text, len);
      this.plain = plain !== undefined && !this.collecting;
      if (plain !== undefined) {
        if (plain.start === plain.end) continue;
        return raw.slice(plain.start, plain.end);
      }
      const line = this.decommentReporting(raw.slice(0, len));
      if (line.length) return line;
    }
  }

  private decommentReporting(raw: Line): Line {
    const d = decomment(raw, this.dialect.commentEndsScan);
    for (const at of d.unescapedCommentChar) {
      this.reporter.report(
        readerRules.syntax,
        { file: raw.file, start: at, end: at + 2 },
        "Unquoted \\# or \\!: keepalived's VRRP and checker processes read the rest of the line as a comment; put the word in double quotes",
        { severity: 'warning' },
      );
    }
    return d.line;
  }

  private endCollecting(): void {
    const def = this.collecting!;
    this.collecting = undefined;
    if (!def.value.length) def.multiline = false;
  }

  /** Opens the next readable file of an include entry's glob; false when none is left. */
  private openNextMatch(entry: IncludeEntry): boolean {
    while (entry.nextPath < entry.paths.length) {
      const path = entry.paths[entry.nextPath++]!;
      const abs = posix.resolve(entry.parentDir, path);
      if (!this.checkGlobFile(path, abs, entry)) continue;
      if (this.stack.some((e) => e.open && posix.resolve(e.parentDir, e.open.file.path) === abs)) {
        this.reporter.report(
          readerRules.includeCycle,
          entry.site!,
          `'${path}' is already being read: keepalived would include it again and again until it runs out of resources`,
          { related: this.includeChain().map((r) => ({ range: r, message: 'included from here' })) },
        );
        continue;
      }
      const loaded = this.load(abs, path);
      if (!('text' in loaded)) {
        this.includeError(INCLUDE_R, entry, `Configuration file '${path}' open problem (${loaded.error}) - skipping`);
        continue;
      }
      entry.open = { file: loaded, pos: 0 };
      entry.dir = path.includes('/') ? posix.resolve(entry.parentDir, posix.dirname(path)) : entry.parentDir;
      this.files.push(loaded);
      return true;
    }
    entry.open = undefined;
    return false;
  }

  private checkGlobFile(path: string, abs: string, entry: IncludeEntry): boolean {
    if (path.endsWith('/')) {
      this.includeError(INCLUDE_R, entry, `Configuration file '${path}' is a directory - skipping`);
      return false;
    }
    const info = this.host.stat(abs);
    if (!info || info.kind !== 'file' || info.executable) {
      this.includeError(INCLUDE_R, entry, `Configuration file '${path}' is not a regular non-executable file - skipping`);
      return false;
    }
    return true;
  }

  /** `file_config_error`: an error when the include's flags (or include_check) ask for it, else a warning. */
  private includeError(type: number, entry: IncludeEntry, message: string): void {
    if (!entry.site) return;
    const enforced = ((this.includeCheck | entry.includeType) & type) !== 0;
    this.reporter.report(
      readerRules.includeNotFound,
      entry.site,
      enforced ? message : `${message} (keepalived only logs this; 'includea' would make it an error)`,
      { severity: enforced ? 'error' : 'warning', related: this.includeChain().slice(1).map((r) => ({ range: r, message: 'included from here' })) },
    );
  }

  /** `check_include`: opens the files of an include line; false when the line is not an include. */
  private tryInclude(line: Line, viaPreprocessor: boolean): boolean {
    const t = line.text;
    const m = /^(include[rmwba]?)[ \t\n\r\f\v]/.exec(t);
    if (!m) return false;
    const keyword = m[1]!;
    if (keyword !== 'include' && !this.dialect.includeVariants) return false;
    const site = line.range(0, t.length);
    if (viaPreprocessor) {
      this.reporter.report(
        readerRules.syntax,
        site,
        'include combined with @id or $NAME: keepalived\'s child processes re-read the file and cannot follow it (2.2.7 crashes in a loop)',
      );
    }
    const pattern = t.slice(m[0].length).replace(/^[ \t]+/, '');
    const includeType = INCLUDE_TYPES[keyword]!;
    const parentDir = this.cwd;
    const entry: IncludeEntry = {
      paths: [],
      nextPath: 0,
      includeType,
      savedIncludeCheck: this.includeCheck,
      dir: parentDir,
      parentDir,
      open: undefined,
      site,
    };
    if (pattern.startsWith('"')) {
      this.reporter.report(readerRules.syntax, site, 'keepalived takes include patterns verbatim: the quotes are part of the file name', {
        severity: 'warning',
      });
    }
    this.stack.push(entry);
    const g = glob(pattern, this.host, parentDir);
    if (g.matches.length === 0) {
      if (g.missingFiles || g.missingDirectories) this.includeError(hasBrace(pattern) ? INCLUDE_B : INCLUDE_M, entry, `Config files missing '${pattern}'.`);
      else if (g.hadWildcards) this.includeError(INCLUDE_W, entry, `No config files matched '${pattern}'.`);
      this.stack.pop();
      return true;
    }
    if (g.missingFiles || g.missingDirectories) {
      this.includeError(INCLUDE_B, entry, `Some config files missing: "${pattern}".`);
      if ((this.includeCheck | includeType) & INCLUDE_B) {
        this.stack.pop();
        return true;
      }
    }
    entry.paths = g.matches;
    if (!this.openNextMatch(entry)) this.stack.pop();
    return true;
  }

  // ---------------------------------------------------------------- read_line

  /** The next logical line, or undefined at the end of the configuration. */
  next(): Line | undefined {
    let buf: Line | undefined;
    while (true) {
      if (this.residue) {
        buf = this.residue;
        this.residue = undefined;
        if (this.lineSubstitutions > MAX_SUBSTITUTIONS_PER_LINE) continue;
      } else if (this.generators.length && this.generators.length > this.multilineSeqDepth) {
        buf = this.emitGenerated();
        if (!buf) continue;
        this.lineSubstitutions = 0;
      } else if (this.pending) {
        buf = this.nextPendingLine();
        if (!buf) continue;
        this.lineSubstitutions = 0;
      } else {
        buf = this.nextFileLine();
        if (!buf) return undefined;
        if (this.plain) break;
        this.lineSubstitutions = 0;
      }

      if (this.collecting) {
        this.collect(buf);
        continue;
      }
      if (buf.length === 0) continue;

      let viaPreprocessor = false;
      let recheck = true;
      while (recheck) {
        recheck = false;
        if (this.dialect.conditionals && buf.text.charCodeAt(0) === 64 /* @ */) {
          viaPreprocessor = true;
          const kept = this.applyCondition(buf);
          if (!kept) {
            buf = undefined;
            break;
          }
          buf = kept;
        }
        if (this.dialect.definitions && buf.text.charCodeAt(0) === 36) {
          const def = this.defineFrom(buf);
          if (def) {
            if (def.multiline) this.collecting = def;
            buf = undefined;
            break;
          }
        }
        if (this.dialect.seq && (buf.text.startsWith('~SEQ') || (buf.text.startsWith('~LST') && this.dialect.seqHexAndLists))) {
          if (buf.text[1] === 'S') this.addSeq(buf);
          else this.addList(buf);
          buf = undefined;
          break;
        }
        if (buf.text.charCodeAt(0) === 126 /* ~ */) break;
        if (this.dialect.definitions && buf.text.includes('$')) {
          const sub = this.substitute(buf);
          buf = sub.line;
          if (sub.multiline) this.startMultiline(sub.multiline);
          if (!sub.changed) break;
          viaPreprocessor = true;
          buf = this.decommentReporting(buf);
          if (buf.text.charCodeAt(0) === 64 || buf.text.includes('$')) {
            if (this.dialect.recheckAfterSubstitution) recheck = true;
            else if (buf.text.charCodeAt(0) === 64) this.reportLostRecheck(buf);
          }
        }
      }
      if (!buf || buf.length === 0) continue;
      if (this.tryInclude(buf, viaPreprocessor)) continue;
      break;
    }
    return this.cutAtBrace(buf);
  }

  private reportLostRecheck(buf: Line): void {
    this.reporter.report(
      readerRules.syntax,
      buf.range(0, buf.length),
      `Substitution produced '${buf.text.split(/[ \t]/)[0]}', but keepalived 2.4.0 and later do not treat a substituted @ prefix as a condition (2.3.x and earlier did)`,
      { frame: buf.frameIn(0, 1) },
    );
  }

  private nextPendingLine(): Line | undefined {
    const p = this.pending!;
    const nl = p.rest.indexOf('\n');
    let text: string;
    if (nl < 0) {
      text = p.rest;
      this.pending = this.pendingStack.pop();
      if (this.pending) this.multilineSeqDepth = p.seqDepth;
      else this.multilineSeqDepth = 0;
    } else {
      text = p.rest.slice(0, nl);
      p.rest = p.rest.slice(nl + 1);
    }
    if (this.tooManyGenerated(p.site)) {
      this.pending = undefined;
      this.pendingStack.length = 0;
      return undefined;
    }
    return Line.expansion(p.site.file, text, p.site.start, p.site.end, p.frame);
  }

  /** Adds one line to the multi-line definition being collected. */
  private collect(buf: Line): void {
    const def = this.collecting!;
    let t = buf.text;
    let more = false;
    if (t.endsWith('\\')) {
      let len = t.length - 1;
      while (len >= 1 && isBlank(t.charCodeAt(len - 1))) len--;
      t = t.slice(0, len) + '\n';
      more = true;
    } else {
      this.endCollecting();
    }
    if (t.length >= 2 || (t.length && !more)) def.value += t;
  }

  /** `@id` / `@^id`: the line without its prefix, or undefined when the condition is false. */
  private applyCondition(buf: Line): Line | undefined {
    const t = buf.text;
    const negate = t[1] === '^';
    const ofs = negate ? 2 : 1;
    let sp = ofs;
    while (sp < t.length && t[sp] !== ' ' && t[sp] !== '\t') sp++;
    if (sp >= t.length) {
      this.inactiveRanges.push(buf.range(0, t.length));
      return undefined;
    }
    const id = t.slice(ofs, sp);
    const matches = this.configId !== undefined && id === this.configId;
    if (matches === negate) {
      this.inactiveRanges.push(buf.range(0, t.length));
      return undefined;
    }
    return buf.slice(skipBlanks(t, sp));
  }

  /** The brace cut of read_line: `a {` gives `a` now and `{` next; a line starting with a brace yields the brace alone. */
  private cutAtBrace(buf: Line): Line {
    const t = buf.text;
    const p = findBrace(t);
    if (p >= 0) {
      const skip = p === 0 ? skipBlanks(t, 1) : p;
      if (skip < t.length) {
        let end = t.length;
        while (end > skip && isBlank(t.charCodeAt(end - 1))) end--;
        this.residue = buf.slice(skip, end);
        buf = buf.slice(0, p === 0 ? 1 : p);
      }
    }
    let end = buf.length;
    while (end > 0 && isBlank(buf.text.charCodeAt(end - 1))) end--;
    buf = buf.slice(0, end);
    if (buf.text === '{') this.blockDepth++;
    else if (buf.text === '}') {
      if (this.blockDepth-- < 1) {
        this.reporter.report(readerRules.syntax, buf.range(0, 1), "Extra '}' found", { frame: buf.frameIn(0, 1) });
        this.blockDepth = 0;
      }
    }
    return buf;
  }
}

/**
 * For a physical line that needs none of the preprocessor's steps (no quote,
 * backslash or `$`, not starting with `@`, `~`, `$` or `include`): the span
 * decomment() would keep, i.e. without leading blanks, the comment and
 * trailing blanks. Undefined when the line needs the full treatment.
 */
function plainSpan(t: string, len: number): { start: number; end: number } | undefined {
  let start = 0;
  while (start < len && isBlank(t.charCodeAt(start))) start++;
  const first = t.charCodeAt(start);
  if (first === 64 /* @ */ || first === 126 /* ~ */ || (first === 105 /* i */ && t.startsWith('include', start))) return undefined;
  let end = len;
  for (let i = start; i < len; i++) {
    const c = t.charCodeAt(i);
    if (c === 34 /* " */ || c === 92 /* \ */ || c === 36 /* $ */) return undefined;
    if (c === 35 /* # */ || c === 33 /* ! */) {
      end = i;
      break;
    }
  }
  while (end > start && isBlank(t.charCodeAt(end - 1))) end--;
  return { start, end };
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isAlnum(c: number): boolean {
  return isAlpha(c) || (c >= 48 && c <= 57);
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

function skipBlanks(t: string, p: number): number {
  while (p < t.length && isBlank(t.charCodeAt(p))) p++;
  return p;
}

export function byteLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : c < 0x800 ? 1 : 1;
  }
  return n;
}

/** The number of characters of `s` that fit in `bytes` UTF-8 bytes. */
function charsWithinBytes(s: string, bytes: number): number {
  let used = 0;
  for (let i = 0; i < s.length; i++) {
    const w = byteLength(s[i]!);
    if (used + w > bytes) return i;
    used += w;
  }
  return s.length;
}

/** strtol(…, 0) as keepalived's ~SEQ reads its numbers: decimal, 0x hex or 0 octal, with leading blanks. */
function strtol0(s: string, p: number): { value: number; end: number } {
  const m = /^[ \t\n\r\f\v]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s.slice(p));
  if (!m) return { value: 0, end: p };
  const digits = m[2]!;
  const magnitude = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits[0] === '0' ? parseInt(digits, 8) : Number(digits);
  return { value: m[1] === '-' ? -magnitude : magnitude, end: p + m[0].length };
}

/** The numbers of `~SEQ(VAR, …)` after the variable: `END)`, `START, END)` or `START, STEP, END)`. */
function parseSeqNumbers(s: string): { start: number; step: number; end: number } | undefined {
  const nums: number[] = [];
  let p = 0;
  while (true) {
    const n = strtol0(s, p);
    nums.push(n.value);
    p = skipBlanks(s, n.end);
    if (s[p] === ')') break;
    if (s[p] !== ',' || nums.length === 3) return undefined;
    p++;
  }
  if (nums.length === 1) {
    const end = nums[0]!;
    return { start: end < 0 ? -1 : 1, step: end < 1 ? -1 : 1, end };
  }
  if (nums.length === 2) {
    const [start, end] = nums as [number, number];
    return { start, step: start <= end ? 1 : -1, end };
  }
  const [start, step, end] = nums as [number, number, number];
  return { start, step, end };
}

/** Parses `~LST(...)`; returns an error kind on failure. */
function parseList(t: string): { vars: string[]; values: string[][]; bodyStart: number } | 'invalid' | 'too-many' {
  let p = skipBlanks(t, 4);
  if (t[p++] !== '(') return 'invalid';
  p = skipBlanks(t, p);
  let endChar = ',';
  if (t[p] === '{') {
    endChar = '}';
    p = skipBlanks(t, p + 1);
  }
  const vars: string[] = [];
  while (true) {
    const start = p;
    while (p < t.length && !' \t,}'.includes(t[p]!)) p++;
    vars.push(t.slice(start, p));
    p = skipBlanks(t, p);
    if (t[p] === endChar) break;
    if (t[p] !== ',') return 'invalid';
    p = skipBlanks(t, p + 1);
  }
  if (t[p] === '}') p = skipBlanks(t, p + 1);
  if (t[p++] !== ',') return 'invalid';
  p = skipBlanks(t, p);
  const values: string[][] = [];
  while (true) {
    let setEnd = ',';
    if (t[p] === '{') {
      setEnd = '}';
      p = skipBlanks(t, p + 1);
    }
    const set: string[] = [];
    while (true) {
      const start = p;
      while (p < t.length && !' \t,})'.includes(t[p]!)) p++;
      set.push(t.slice(start, p));
      p = skipBlanks(t, p);
      if (t[p] === setEnd || (t[p] === ')' && setEnd === ',')) break;
      if (t[p] !== ',') return 'invalid';
      p = skipBlanks(t, p + 1);
      if (set.length > vars.length - 1) return 'too-many';
    }
    while (set.length < vars.length) set.push('');
    values.push(set);
    if (t[p] === '}' && setEnd === '}') p = skipBlanks(t, p + 1);
    if (t[p] === ')') break;
    if (t[p] !== ',') return 'invalid';
    p = skipBlanks(t, p + 1);
  }
  if (!vars.length || !values.length) return 'invalid';
  return { vars, values, bodyStart: skipBlanks(t, p + 1) };
}
