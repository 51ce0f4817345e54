/**
 * `kalint migrate`: old syntax to what a target keepalived release reads,
 * as edits of the source text, so that comments and layout stay.
 *
 * - Deprecated keywords and options, and removed keywords, become their
 *   replacement when the schema names one the target has: the fixes the
 *   reader attaches to `deprecated-keyword` diagnostics (the migration table
 *   is the schema's deprecations and removals).
 * - What moved is restructured: `lvs_sync_daemon_interface IF` in an instance
 *   becomes `lvs_sync_daemon IF INSTANCE` in global_defs; instance names
 *   written straight into a `vrrp_sync_group` go into its `group { }`.
 * - A deprecation with no equivalent in the target is refused with its
 *   diagnostic, and nothing is changed.
 */
import { posix } from 'node:path';
import type { Block, Config } from '../grammar/ast.ts';
import type { Diagnostic, TextEdit } from '../grammar/diagnostics.ts';
import type { Host } from '../grammar/host.ts';
import { readConfig, type ReadOptions, type ReadResult } from '../grammar/reader.ts';
import { blockDef, compareVersions, LATEST_VERSION, schema, type Version } from '../grammar/schema/index.ts';
import type { SourceFile } from '../grammar/source.ts';
import { applyFixes } from '../lint/index.ts';

export interface MigrateOptions {
  host: Host;
  targetVersion?: Version;
  configId?: string;
}

export interface Migration {
  /** New text by absolute path, for the files that changed. */
  changed: Map<string, { file: SourceFile; text: string }>;
  /** What could not be migrated (deprecations with no equivalent in the target). */
  refused: Diagnostic[];
  /** The configuration as read after migration. */
  result: ReadResult;
}

const MAX_PASSES = 20;

export function migrate(path: string, options: MigrateOptions): Migration | { error: string } {
  const target = options.targetVersion ?? LATEST_VERSION;
  const texts = new Map<string, { file: SourceFile; text: string }>();
  const host: Host = {
    ...options.host,
    readFile: (p) => {
      const edited = texts.get(posix.resolve(options.host.cwd(), p));
      return edited ? new TextEncoder().encode(edited.text) : options.host.readFile(p);
    },
  };
  const read = (): ReadResult | { error: string } => {
    const o: ReadOptions = { host, targetVersion: target, ...(options.configId !== undefined ? { configId: options.configId } : {}) };
    return readConfig(path, o);
  };
  let result = read();
  for (let pass = 0; pass < MAX_PASSES && !('error' in result); pass++) {
    const edits = [...renames(result.diagnostics), ...moves(result.config, target)];
    if (!edits.length) break;
    let applied = 0;
    for (const file of result.config.files) {
      const fixed = applyFixes(file, edits);
      if (!fixed.applied) continue;
      const original = texts.get(file.absolutePath)?.file ?? file;
      texts.set(file.absolutePath, { file: original, text: fixed.text });
      applied += fixed.applied;
    }
    if (!applied) break;
    result = read();
  }
  if ('error' in result) return result;
  const refused = result.diagnostics.filter((d) => d.ruleId === 'deprecated-keyword');
  return { changed: texts, refused, result };
}

/** Deprecated and removed keywords with a replacement the target reads: the reader's own fixes. */
function renames(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => {
    const fix = d.fixes?.[0];
    if (!fix) return false;
    if (d.ruleId === 'deprecated-keyword') return true;
    // A keyword keepalived dropped is reported as unknown; the schema's removals say what replaced it.
    const word = d.range.file.text.slice(d.range.start, d.range.end);
    return d.ruleId === 'unknown-keyword' && schema.removed.some((r) => r.name === word && r.replacement === fix.edits[0]!.text);
  });
}

/** Restructurings, as diagnostics carrying the edits, so that they apply like fixes. */
function moves(config: Config, target: Version): Diagnostic[] {
  const out: Diagnostic[] = [];
  const globalDefs = config.children.find((n): n is Block => n.type === 'Block' && n.blockId === 'global_defs' && n.keyword.file === config.file);
  const lines: string[] = [];
  let firstMove: Diagnostic | undefined;
  for (const n of config.children) {
    if (n.type !== 'Block' || n.keyword.frame) continue;
    if (n.blockId === 'vrrp_instance' && compareVersions(target, '1.2.20') >= 0) {
      for (const c of n.children) {
        if (c.def.name !== 'lvs_sync_daemon_interface' || c.keyword.frame || c.keyword.file !== config.file || !n.name) continue;
        const move: Diagnostic = {
          ruleId: 'migrate',
          severity: 'info',
          message: 'lvs_sync_daemon_interface moves to global_defs',
          range: c.range,
          fixes: [{ description: 'Move to global_defs', edits: [lineDeletion(c.range.file, c.range.start, c.range.end)] }],
        };
        out.push(move);
        firstMove ??= move;
        lines.push(`lvs_sync_daemon ${c.words.map((w) => w.text).join(' ')} ${n.name}`);
      }
    }
  }
  if (firstMove && lines.length) {
    const file = config.file;
    const insertion: TextEdit = globalDefs?.close
      ? { range: { file, start: lineStartOf(file.text, globalDefs.close.start), end: lineStartOf(file.text, globalDefs.close.start) }, text: lines.map((l) => `    ${l}\n`).join('') }
      : { range: { file, start: 0, end: 0 }, text: `global_defs {\n${lines.map((l) => `    ${l}\n`).join('')}}\n` };
    out.push({ ...firstMove, range: insertion.range, fixes: [{ description: 'Add to global_defs', edits: [insertion] }] });
  }
  out.push(...syncGroupMembers(config));
  return out;
}

/** Instance names written straight into a sync group (no `group { }`): wrapped into one. */
function syncGroupMembers(config: Config): Diagnostic[] {
  const instances = new Set(config.symbols.definitions.filter((d) => d.kind === 'vrrp_instance').map((d) => d.word.text));
  const out: Diagnostic[] = [];
  for (const n of config.children) {
    if (n.type !== 'Block' || n.blockId !== 'vrrp_sync_group' || n.keyword.frame || !n.close) continue;
    if (n.children.some((c) => c.def.name === 'group')) continue;
    const file = n.keyword.file;
    const text = file.text;
    const open = text.indexOf('{', n.keyword.end);
    if (open < 0 || open > n.close.start) continue;
    const body = text.slice(open + 1, n.close.start);
    const members = body.split('\n').map((l) => l.replace(/[#!].*$/, '').trim()).filter((w) => instances.has(w));
    if (!members.length || blockDef('vrrp_sync_group').keywords.some((k) => members.includes(k.name))) continue;
    const rest = body.split('\n').filter((l) => !instances.has(l.replace(/[#!].*$/, '').trim()));
    const replacement = `\n    group {\n${members.map((m) => `        ${m}\n`).join('')}    }${rest.join('\n').replace(/^\s*\n/, '\n')}`;
    out.push({
      ruleId: 'migrate',
      severity: 'info',
      message: `sync group members go into group { }`,
      range: { file, start: open + 1, end: n.close.start },
      fixes: [{ description: 'Wrap the members in group { }', edits: [{ range: { file, start: open + 1, end: n.close.start }, text: replacement.endsWith('\n') ? replacement : `${replacement}\n` }] }],
    });
  }
  return out;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The whole line of [start, end), line end included, when nothing else is on it; else just the range. */
function lineDeletion(file: SourceFile, start: number, end: number): TextEdit {
  const text = file.text;
  const from = lineStartOf(text, start);
  let to = text.indexOf('\n', end);
  to = to < 0 ? text.length : to + 1;
  const alone = !text.slice(from, start).trim() && !text.slice(end, to).replace(/[#!].*$/, '').trim();
  return alone ? { range: { file, start: from, end: to }, text: '' } : { range: { file, start, end }, text: '' };
}
