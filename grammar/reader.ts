/**
 * keepalived's `process_stream()` and `alloc_value_block()`, ported and driven
 * by the keyword schema: matches each logical line's first word against the
 * keywords of the current block, builds the typed AST, and reports every
 * place where keepalived would complain, change a value, or read the file
 * differently from its layout.
 */
import { posix } from 'node:path';
import { type Block, type Config, type Item, type List, type Node, type Statement, type SymbolTable, Word } from './ast.ts';
import { type BindContext, bindArguments, selectForm } from './bind.ts';
import { compareDiagnostics, type Diagnostic, readerRule, readerRules, type RuleMeta } from './diagnostics.ts';
import { type Dialect, dialectFor } from './dialect.ts';
import { type Host, nodeHost } from './host.ts';
import { type Line, splitQuoted, splitWords, type WordSpan } from './line.ts';
import { checkItem } from './items.ts';
import { LineReader } from './preprocess.ts';
import { Reporter } from './report.ts';
import {
  blocksWithKeyword,
  compareVersions,
  itemDef,
  LATEST_VERSION,
  lookupKeyword,
  removedKeyword,
  ROOT_BLOCK,
  schema,
} from './schema/index.ts';
import type { BlockKeyword, KeywordDef, ListKeyword, ObjectKind, Param, StatementKeyword, Syntax, Version } from './schema/types.ts';
import type { Range, SourceFile } from './source.ts';
import { suggest } from './suggest.ts';

export interface ReadOptions {
  host?: Host;
  /** The keepalived release to read as (default: the newest the schema knows). */
  targetVersion?: Version;
  /** keepalived's `-i` config id for `@id` lines; default: the host name up to its first dot, as keepalived does. */
  configId?: string;
  /** Interfaces that exist on the target host; when given, other interface names are reported. */
  interfaces?: ReadonlySet<string>;
}

export interface ReadResult {
  config: Config;
  diagnostics: Diagnostic[];
}

/** Blocks keepalived discards, contents and all, when their header is wrong or their name is taken. */
const DISCARDED_ON_BAD_HEADER = new Set(['vrrp_instance', 'vrrp_sync_group', 'track_group', 'bfd_instance', 'virtual_server', 'real_server']);

class ConfigReader {
  private readonly reporter = new Reporter();
  private readonly lines: LineReader;
  private readonly dialect: Dialect;
  /** 1: skipping a block's contents; -1: the keyword was skipped, its `{` may follow. */
  private skipSublevel = 0;

  constructor(
    host: Host,
    private readonly options: ReadOptions,
  ) {
    this.dialect = dialectFor(options.targetVersion ?? LATEST_VERSION);
    const configId = options.configId ?? host.hostname().split('.')[0];
    this.lines = new LineReader({ host, dialect: this.dialect, configId, reporter: this.reporter });
  }

  read(path: string): ReadResult | { error: string } {
    const main = this.lines.openMain(path);
    if (!('text' in main)) return { error: main.error };
    const children: Node[] = [];
    this.processBlock(ROOT_BLOCK, children, false, 0, undefined);
    this.reportMissingInterfaces(children);
    this.reportReferences();
    const config: Config = { type: 'Config', file: main, files: this.lines.files, children, inactiveRanges: this.lines.inactiveRanges, symbols: this.symbols };
    return { config, diagnostics: this.reporter.diagnostics.sort(compareDiagnostics) };
  }

  /** keepalived checks interfaces in the network namespace it runs in; with `net_namespace` that is not the host's. */
  private reportMissingInterfaces(children: Node[]): void {
    const known = this.options.interfaces;
    if (!known || children.some((n) => n.def.name === 'net_namespace')) return;
    for (const w of this.interfaceWords) {
      if (!known.has(w.text)) {
        this.reporter.report(readerRules.interfaceNotFound, w.range, `interface '${w.text}' does not exist on the target host`, { frame: w.frame });
      }
    }
  }

  // ---------------------------------------------------------------- keyword look-up

  private readonly availability = new Map<KeywordDef, boolean>();

  private available(def: KeywordDef): boolean {
    let ok = this.availability.get(def);
    if (ok === undefined) {
      ok = compareVersions(def.since, this.dialect.version) <= 0;
      this.availability.set(def, ok);
    }
    return ok;
  }

  private lookup(blockId: string, name: string): KeywordDef | undefined {
    const def = lookupKeyword(blockId, name);
    return def && this.available(def) ? def : undefined;
  }

  /** What the binder may ask of the reader. */
  private readonly bindContext: BindContext = {
    reporter: this.reporter,
    visit: (word, param) => this.visit(word, param),
    isKeyword: (blockId, word) => this.lookup(blockId, word) !== undefined,
  };

  private reportUnknown(blockId: string, word: Word, owner: Block | undefined): void {
    const name = word.text;
    const where = owner ? `${owner.def.name}${owner.name ? ` ${owner.name}` : ''}` : 'the top level';
    const known = lookupKeyword(blockId, name);
    if (known) {
      this.reporter.report(
        readerRules.unknownKeyword,
        word.range,
        `Unknown keyword '${name}' for keepalived ${this.dialect.version}: it was added in ${known.since}`,
        { frame: word.frame },
      );
      return;
    }
    const removed = removedKeyword(blockId, name);
    if (removed) {
      this.reporter.report(readerRules.unknownKeyword, word.range, `Unknown keyword '${name}': ${removed.message}`, {
        frame: word.frame,
        fixes: removed.replacement && !word.frame ? [{ description: `Replace with '${removed.replacement}'`, edits: [{ range: word.range, text: removed.replacement }] }] : [],
      });
      return;
    }
    const elsewhere = blocksWithKeyword(name).filter((b) => b !== blockId && this.available(lookupKeyword(b, name)!));
    if (elsewhere.length) {
      const places = elsewhere.map((b) => (b === ROOT_BLOCK ? 'the top level' : b)).join(', ');
      this.reporter.report(readerRules.wrongBlock, word.range, `'${name}' is not valid in ${where}; keepalived accepts it in ${places}`, {
        frame: word.frame,
      });
      return;
    }
    const guess = this.suggestKeyword(blockId, name);
    this.reporter.report(
      readerRules.unknownKeyword,
      word.range,
      `Unknown keyword '${name}' in ${where}${guess ? `; did you mean '${guess}'?` : ''}`,
      {
        frame: word.frame,
        fixes: guess && !word.frame ? [{ description: `Replace with '${guess}'`, edits: [{ range: word.range, text: guess }] }] : [],
      },
    );
  }

  private readonly suggestions = new Map<string, string | undefined>();

  /** Did-you-mean among the keywords of a block, remembered: a generated file may repeat the same typo many times. */
  private suggestKeyword(blockId: string, name: string): string | undefined {
    const key = `${blockId}\0${name}`;
    if (!this.suggestions.has(key)) {
      const candidates = schema.blocks.get(blockId)!.keywords.filter((k) => this.available(k)).map((k) => k.name);
      this.suggestions.set(key, suggest(name, candidates));
    }
    return this.suggestions.get(key);
  }

  // ---------------------------------------------------------------- words

  private toWords(line: Line, spans: WordSpan[]): Word[] {
    return spans.map((s) => wordOf(line, s.text, s.quoted, s.start, s.end));
  }

  /** alloc_strvec: the words of a logical line; an unclosed quote drops the rest (tolerated for script keywords). */
  private words(line: Line, blockId: string | undefined): Word[] {
    const split = splitWords(line.text, (text, quoted, start, end) => wordOf(line, text, quoted, start, end));
    if (split.unmatchedQuote >= 0) {
      const first = split.words[0]?.text;
      const def = blockId && first !== undefined ? this.lookup(blockId, first) : undefined;
      const tolerated = def?.kind === 'statement' && def.quoted && split.words.length > 1;
      if (!tolerated) {
        this.reporter.report(readerRules.syntax, line.range(split.unmatchedQuote, line.length), `Unmatched quote: keepalived drops the rest of the line`, {
          frame: line.frameIn(split.unmatchedQuote, line.length),
        });
      }
    }
    return split.words;
  }

  // ---------------------------------------------------------------- process_stream

  /**
   * Reads the contents of one block into `out` until its `}` (or the end of
   * the configuration). Returns true when keepalived's skip logic consumed
   * the closing brace of this level.
   */
  private processBlock(blockId: string, out: Node[], needBob: boolean, level: number, owner: Block | undefined): boolean {
    let unexpectedOpen: Range | undefined;
    let afterUnknown = false;
    for (let line = this.lines.next(); line; line = this.lines.next()) {
      const words = this.words(line, blockId);
      if (!words.length) continue;
      const first = words[0]!;
      const str = first.text;
      const followsUnknown = afterUnknown;
      afterUnknown = false;

      if (this.skipSublevel === -1) {
        if (str === '{') {
          this.skipSublevel = 1;
          needBob = false;
          continue;
        }
        this.skipSublevel = 0;
      }
      if (this.skipSublevel) {
        for (const w of words) {
          if (w.text === '{') this.skipSublevel++;
          else if (w.text === '}' && --this.skipSublevel === 0) break;
        }
        if (str === '}' && this.skipSublevel === 0 && level > 0) return true;
        continue;
      }

      if (needBob) {
        needBob = false;
        if (str === '{' && level > 0) continue;
        this.reporter.report(readerRules.syntax, first.range, `Missing '{' at beginning of ${owner?.def.name ?? 'configuration'} block`, {
          frame: first.frame,
        });
      } else if (str === '{') {
        this.reporter.report(
          readerRules.syntax,
          first.range,
          followsUnknown
            ? "Unexpected '{' - keepalived ignores it, reads this block's contents as part of the enclosing block, and takes the block's '}' as the end of the enclosing block"
            : "Unexpected '{' - ignoring",
          { frame: first.frame },
        );
        unexpectedOpen ??= first.range;
        continue;
      }

      if (str === '}' && level > 0) {
        if (owner) owner.close = first.range;
        if (unexpectedOpen && owner) {
          this.reporter.report(
            readerRules.syntax,
            first.range,
            `keepalived reads this '}' as the end of ${owner.def.name}${owner.name ? ` ${owner.name}` : ''}, not of the block opened by the unexpected '{'`,
            { related: [{ range: unexpectedOpen, message: "the '{' keepalived ignored" }], frame: first.frame },
          );
        }
        return false;
      }

      const def = this.lookup(blockId, str);
      if (!def) {
        this.reportUnknown(blockId, first, owner);
        afterUnknown = true;
        continue;
      }
      this.reportDeprecation(def, first, blockId);
      const rest = words.slice(1);
      switch (def.kind) {
        case 'statement':
          this.reportRepeat(out, def, first);
          out.push(this.statement(def, first, rest, line, blockId));
          break;
        case 'list':
          this.reportRepeat(out, def, first);
          out.push(this.list(def, first, rest, blockId));
          break;
        case 'block':
          out.push(this.block(def, first, rest, level, blockId));
          break;
      }
    }
    if (owner && level > 0) {
      this.reporter.report(readerRules.syntax, owner.keyword.range, `'${owner.def.name}' block is never closed: keepalived reports a missing '}' and closes it at the end of the file`, {
        frame: owner.keyword.frame,
      });
    }
    return false;
  }

  /** A statement or list given again in the same block: keepalived rejects, ignores or overwrites it. */
  private reportRepeat(out: Node[], def: StatementKeyword | ListKeyword, word: Word): void {
    if (def.repeat === 'append') return;
    const name = def.aliasOf ?? def.name;
    const earlier = out.find((n) => n.type !== 'Block' && (n.def.aliasOf ?? n.def.name) === name);
    if (!earlier) return;
    const related = [{ range: earlier.keyword.range, message: `first '${earlier.def.name}' here` }];
    if (def.repeat === 'error') {
      this.reporter.report(readerRules.duplicateKeyword, word.range, `'${name}' is already given in this block: keepalived reports this one as an error`, {
        severity: 'error',
        related,
        frame: word.frame,
      });
    } else if (def.repeat === 'ignored') {
      this.reporter.report(readerRules.duplicateKeyword, word.range, `'${name}' is already given in this block: keepalived ignores this one`, { related, frame: word.frame });
    } else {
      const effect = def.kind === 'statement' && def.syntax.params.length === 0 && !def.syntax.options?.length ? 'it has no further effect' : 'this one replaces it';
      this.reporter.report(readerRules.duplicateKeyword, word.range, `'${name}' is already given in this block; ${effect}`, { related, frame: word.frame });
    }
  }

  private reportDeprecation(def: KeywordDef, word: Word, blockId: string): void {
    const dep = def.deprecated;
    if (!dep) return;
    // A replacement the target release has in this block is the same setting under its current name.
    const replacement = dep.replacement ? this.lookup(blockId, dep.replacement) : undefined;
    const fixes = replacement && !word.frame ? [{ description: `Replace with '${replacement.name}'`, edits: [{ range: word.range, text: replacement.name }] }] : [];
    this.reporter.report(readerRules.deprecatedKeyword, word.range, `'${def.name}' is deprecated: ${dep.message}`, {
      severity: dep.keepalived === 'error' ? 'error' : 'warning',
      frame: word.frame,
      fixes,
    });
  }

  private statement(def: StatementKeyword, keyword: Word, rest: Word[], line: Line, blockId: string): Statement {
    let words = rest;
    if (def.quoted) words = this.scriptWords(line, keyword) ?? rest;
    const args = bindArguments(def.syntax, words, this.bindContext, { keyword, blockId });
    return { type: 'Statement', def, keyword, words, range: spanWords(keyword, words), params: args.params, options: args.options };
  }

  /** Script keywords: keepalived re-reads the raw line with its script tokenizer, where `'` quotes too. */
  private scriptWords(line: Line, keyword: Word): Word[] | undefined {
    const spans = splitQuoted(line.text);
    if (!spans) {
      this.reporter.report(readerRules.syntax, line.range(0, line.length), `Unmatched quote in the command: keepalived ignores the ${keyword.text} script`, {
        frame: line.frameIn(0, line.length),
      });
      return undefined;
    }
    return this.toWords(line, spans.slice(1));
  }

  /** Interface names to check against `--interfaces` once the whole file is read. */
  private readonly interfaceWords: Word[] = [];
  /** References to named objects, checked once the whole file is read. */
  private readonly references: { word: Word; to: ObjectKind; definedBefore: boolean; rule: RuleMeta }[] = [];
  /** Named objects defined so far, by kind. */
  private readonly defined = new Map<ObjectKind, Map<string, Range>>();
  /** Named objects keepalived drops after reading them (`kind name` -> why). */
  private readonly dropped = new Map<string, string>();

  private readonly symbols: SymbolTable = { definitions: [], references: [], interfaces: [] };

  /** Collects the words whose meaning depends on the rest of the configuration or on the host, and the symbol table. */
  private visit(word: Word, param: Param): void {
    const type = param.type;
    if (type.kind === 'ifname') {
      this.symbols.interfaces.push(word);
      if (this.options.interfaces) this.interfaceWords.push(word);
    } else if (type.kind === 'ref') {
      this.symbols.references.push({ kind: type.to, word });
      const definedBefore = type.resolved !== 'when-read' || !!this.defined.get(type.to)?.has(word.text);
      const ruleId = param.rules?.undefined;
      this.references.push({ word, to: type.to, definedBefore, rule: ruleId ? readerRule(ruleId) : readerRules.undefinedReference });
    } else if (type.kind === 'name') {
      this.symbols.definitions.push({ kind: type.defines, word });
      const names = this.defined.get(type.defines) ?? new Map<string, Range>();
      this.defined.set(type.defines, names);
      if (!names.has(word.text)) names.set(word.text, word.range);
    }
  }

  /** Reports references to names keepalived cannot find: never defined, or defined only after a look-up made when reading. */
  private reportReferences(): void {
    for (const { word, to, definedBefore, rule } of this.references) {
      const where = this.defined.get(to)?.get(word.text);
      const dropped = this.dropped.get(`${to} ${word.text}`);
      if (where && dropped) {
        this.reporter.report(rule, word.range, `keepalived ignores this reference: it dropped ${to} '${word.text}' (${dropped})`, {
          related: [{ range: where, message: 'defined here' }],
          frame: word.frame,
        });
        continue;
      }
      if (where && definedBefore) continue;
      if (where) {
        this.reporter.report(
          rule,
          word.range,
          `${to} '${word.text}' is defined after this line: keepalived looks it up when it reads this line, does not find it and ignores it; move the definition above`,
          { related: [{ range: where, message: 'defined here' }], frame: word.frame },
        );
      } else {
        const known = [...(this.defined.get(to)?.keys() ?? [])];
        const guess = suggest(word.text, known);
        this.reporter.report(
          rule,
          word.range,
          `${to} '${word.text}' is not defined: keepalived ignores this reference${guess ? ` (did you mean '${guess}'?)` : ''}`,
          {
            frame: word.frame,
            fixes: guess && !word.frame ? [{ description: `Replace with '${guess}'`, edits: [{ range: word.range, text: guess }] }] : [],
          },
        );
      }
    }
  }

  private block(def: BlockKeyword, keyword: Word, rest: Word[], level: number, parentId: string): Block {
    const { syntax } = selectForm(def.syntax, rest);
    const before = this.reporter.errors;
    const args = bindArguments(def.syntax, rest, this.bindContext, { keyword, blockId: parentId });
    const headerOk = this.reporter.errors === before;
    const node: Block = {
      type: 'Block',
      def,
      keyword,
      words: rest,
      blockId: def.block,
      children: [],
      range: keyword.range,
      params: args.params,
      options: args.options,
    };
    const defines = definedKind(syntax);
    const nameParam = syntax.params.find((p) => p.type.kind === 'name');
    if (nameParam && typeof args.params[nameParam.name] === 'string') node.name = args.params[nameParam.name] as string;

    let discard = DISCARDED_ON_BAD_HEADER.has(def.block) && !headerOk;
    const firstDefinition = node.name && defines ? this.defined.get(defines)?.get(node.name) : undefined;
    const isFirst = firstDefinition?.file === rest[0]?.file && firstDefinition?.start === rest[0]?.start;
    if (firstDefinition && !isFirst && DISCARDED_ON_BAD_HEADER.has(def.block)) {
      this.reporter.report(readerRules.syntax, rest[0]!.range, `${def.name} ${node.name} is already defined: keepalived discards this block`, {
        related: [{ range: firstDefinition, message: 'first defined here' }],
        frame: rest[0]!.frame,
      });
      discard = true;
    }
    if (discard) {
      node.ignored = true;
      this.reporter.report(readerRules.syntax, keyword.range, `keepalived discards this ${def.name} block because of the error in its header`, {
        severity: 'info',
        frame: keyword.frame,
      });
      this.skipSublevel = -1;
      this.processBlock(def.block, node.children, false, level + 1, node);
    } else {
      this.processBlock(def.block, node.children, true, level + 1, node);
      this.checkRequired(node, defines);
    }
    node.range = spanRange(keyword.range, node.close ?? node.children[node.children.length - 1]?.range ?? keyword.range);
    return node;
  }

  /** Keywords a block cannot do without: keepalived drops the block (or, for vrrp_instance, refuses to start). */
  private checkRequired(node: Block, defines: ObjectKind | undefined): void {
    for (const k of requiredKeywords(node.blockId)) {
      if (!this.available(k)) continue;
      if (node.children.some((c) => c.def.name === k.name || c.def.aliasOf === k.name)) continue;
      const what = `${node.def.name}${node.name ? ` ${node.name}` : ''}`;
      const consequence = node.blockId === 'vrrp_instance' ? 'keepalived refuses to start without it' : 'keepalived ignores the block without it';
      if (node.name && defines) this.dropped.set(`${defines} ${node.name}`, `it has no '${k.name}'`);
      this.reporter.report(readerRules.missingArgument, node.close ?? node.keyword.range, `${what} has no '${k.name}': ${consequence}`, {
        related: [{ range: node.keyword.range, message: `${node.def.name} starts here` }],
        frame: node.keyword.frame,
      });
    }
  }

  /** alloc_value_block: item lines up to the closing brace. */
  private list(def: ListKeyword, keyword: Word, rest: Word[], parentId: string): List {
    let header = rest;
    let needBob = true;
    let first: Word[] | undefined;
    let hadEob = false;
    const args = def.syntax
      ? bindArguments(def.syntax, rest, this.bindContext, { keyword, blockId: parentId })
      : { params: {}, options: {} };
    const expected = def.syntax?.params.length ?? 0;
    if (rest.length > expected) {
      const extra = rest[expected]!;
      if (extra.text === '{') {
        needBob = false;
        header = rest.slice(0, expected);
        const after = rest.slice(expected + 1);
        if (after.length) {
          if (after[after.length - 1]!.text === '}') {
            after.pop();
            hadEob = true;
          }
          first = after;
        }
      } else if (!def.syntax) {
        this.reporter.report(readerRules.syntax, extra.range, `Block ${def.name} has extra parameters ${extra.text} ...`, { frame: extra.frame });
      }
    }
    const node: List = { type: 'List', def, keyword, words: header, items: [], range: keyword.range, params: args.params, options: args.options };
    const item = itemDef(def.item);
    const addItem = (words: Word[]) => {
      const bound = bindArguments(item.syntax, words, this.bindContext, { keyword, item: true });
      const it: Item = { type: 'Item', kind: def.item, words, range: spanWords(words[0]!, words), params: bound.params, options: bound.options };
      checkItem(it, this.dialect, this.reporter);
      node.items.push(it);
    };
    if (first?.length) addItem(first);
    if (!hadEob) {
      for (let line = this.lines.next(); line; line = this.lines.next()) {
        let words = this.words(line, undefined);
        if (!words.length) continue;
        if (needBob) {
          needBob = false;
          if (words[0]!.text === '{') {
            if (words.length === 1) continue;
            words = words.slice(1);
          } else {
            this.reporter.report(readerRules.syntax, words[0]!.range, `'{' missing from beginning of block ${def.name}: keepalived reads this line as its first item`, {
              severity: 'warning',
              frame: words[0]!.frame,
            });
          }
        }
        const last = words[words.length - 1]!;
        let ends = false;
        if (last.text === '}') {
          if (words.length === 1) {
            node.close = last.range;
            break;
          }
          ends = true;
          node.close = last.range;
          words = words.slice(0, -1);
        }
        addItem(words);
        if (ends) break;
      }
    }
    node.range = spanRange(keyword.range, node.close ?? node.items[node.items.length - 1]?.range ?? keyword.range);
    return node;
  }
}

function wordOf(line: Line, text: string, quoted: boolean, start: number, end: number): Word {
  const r = line.range(start, end);
  return new Word(text, quoted, r.file, r.start, r.end, line.frameIn(start, end));
}

/** The kind of object a block header's name defines, if it defines one. */
function definedKind(syntax: Syntax): ObjectKind | undefined {
  for (const p of syntax.params) if (p.type.kind === 'name') return p.type.defines;
  return undefined;
}

/** From the start of `first` to the end of the last of `words` (or of `first`). */
function spanWords(first: Word, words: readonly Word[]): Range {
  const last = words.length ? words[words.length - 1]!.range : first.range;
  return spanRange(first.range, last);
}

const requiredCache = new Map<string, KeywordDef[]>();

/** The keywords of a block that keepalived cannot do without (aliases count as their keyword). */
function requiredKeywords(blockId: string): KeywordDef[] {
  let found = requiredCache.get(blockId);
  if (!found) {
    found = schema.blocks.get(blockId)!.keywords.filter((k) => k.required && !k.aliasOf);
    requiredCache.set(blockId, found);
  }
  return found;
}

function spanRange(start: Range, end: Range): Range {
  if (start.file !== end.file || end.end < start.start) return start;
  return { file: start.file, start: start.start, end: end.end };
}

export function readConfig(path: string, options: ReadOptions = {}): ReadResult | { error: string } {
  const host = options.host ?? nodeHost();
  return new ConfigReader(host, options).read(path);
}

/** Reads a configuration held in memory (editors, tests): `path` names it for includes and messages. */
export function readConfigText(text: string, path = 'keepalived.conf', options: ReadOptions = {}): ReadResult {
  const base = options.host ?? nodeHost();
  const abs = posix.resolve(base.cwd(), path);
  const host: Host = {
    ...base,
    readFile: (p) => (posix.resolve(base.cwd(), p) === abs ? new TextEncoder().encode(text) : base.readFile(p)),
    stat: (p) => (posix.resolve(base.cwd(), p) === abs ? { kind: 'file', executable: false } : base.stat(p)),
  };
  const result = new ConfigReader(host, options).read(path);
  if ('error' in result) throw new Error(`cannot read ${path}: ${result.error}`);
  return result;
}

export type { SourceFile };
