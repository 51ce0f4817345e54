/**
 * A semantic diff of two configurations: the objects keepalived builds
 * (instances, scripts, sync groups, virtual servers, real servers, checkers
 * ...) matched by identity, and their settings compared by value, so that
 * layout, comments, order and spellings keepalived treats alike (`lb_algo`
 * and `lvs_sched`, `"x"` and `x`) make no difference.
 */
import type { Block, Config, List, Node, Statement } from '../grammar/ast.ts';

export interface Change {
  kind: 'added' | 'removed' | 'changed';
  /** The objects from the top down, e.g. `["virtual_server 10.0.0.1 80", "real_server 10.0.1.1 80"]`. */
  path: string[];
  /** The setting or item, for changes inside an object. */
  setting?: string;
  old?: string;
  new?: string;
}

interface Keyed {
  key: string;
  node: Node;
}

/** A node's identity among its siblings: its keyword (canonical spelling) and, for blocks, its header words. */
function identity(n: Node): string {
  const keyword = n.def.aliasOf ?? n.def.name;
  return n.type === 'Block' && n.words.length ? `${keyword} ${n.words.map((w) => w.text).join(' ')}` : keyword;
}

/** Siblings by identity; repeats get `#2`, `#3` ... in reading order. */
function keyed(children: readonly Node[]): Map<string, Keyed> {
  const out = new Map<string, Keyed>();
  const seen = new Map<string, number>();
  for (const node of children) {
    const base = identity(node);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const key = n === 1 ? base : `${base} #${n}`;
    out.set(key, { key, node });
  }
  return out;
}

/** What a statement sets, as keepalived reads it. */
const valueOf = (s: Statement | Block | List) => JSON.stringify([s.params, s.options]);
const shown = (s: Node) => s.words.map((w) => w.text).join(' ') || '(set)';
const itemText = (words: readonly { text: string }[]) => words.map((w) => w.text).join(' ');

export function diffConfigs(a: Config, b: Config): Change[] {
  const out: Change[] = [];
  const compare = (left: readonly Node[], right: readonly Node[], path: string[]) => {
    const l = keyed(left);
    const r = keyed(right);
    for (const [key, { node }] of l) {
      const other = r.get(key)?.node;
      if (!other) {
        out.push(node.type === 'Statement' ? { kind: 'removed', path, setting: key, old: shown(node) } : { kind: 'removed', path: [...path, key] });
        continue;
      }
      if (node.type === 'Statement' && other.type === 'Statement') {
        if (valueOf(node) !== valueOf(other)) out.push({ kind: 'changed', path, setting: key, old: shown(node), new: shown(other) });
      } else if (node.type === 'List' && other.type === 'List') {
        const before = new Set(node.items.map((i) => itemText(i.words)));
        const after = new Set(other.items.map((i) => itemText(i.words)));
        for (const i of before) if (!after.has(i)) out.push({ kind: 'removed', path, setting: key, old: i });
        for (const i of after) if (!before.has(i)) out.push({ kind: 'added', path, setting: key, new: i });
      } else if (node.type === 'Block' && other.type === 'Block') {
        if (!node.words.length && valueOf(node) !== valueOf(other)) out.push({ kind: 'changed', path, setting: key, old: shown(node), new: shown(other) });
        compare(node.children, other.children, [...path, key]);
      } else {
        out.push({ kind: 'changed', path, setting: key, old: shown(node), new: shown(other) });
      }
    }
    for (const [key, { node }] of r) {
      if (l.has(key)) continue;
      out.push(node.type === 'Statement' ? { kind: 'added', path, setting: key, new: shown(node) } : { kind: 'added', path: [...path, key] });
    }
  };
  compare(a.children, b.children, []);
  return out;
}

const SIGN = { added: '+', removed: '-', changed: '~' } as const;

/** One line per change: `~ vrrp_instance VI_1: priority 100 -> 150`. */
export function formatChanges(changes: readonly Change[]): string {
  return changes
    .map((c) => {
      const where = c.path.join(' / ');
      if (!c.setting) return `${SIGN[c.kind]} ${where}`;
      const what = c.kind === 'changed' ? `${c.setting} ${c.old} -> ${c.new}` : `${c.setting} ${c.kind === 'added' ? c.new : c.old}`;
      return `${SIGN[c.kind]} ${where ? `${where}: ` : ''}${what}`;
    })
    .map((line) => `${line}\n`)
    .join('');
}
