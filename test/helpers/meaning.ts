/**
 * What keepalived reads from a text, without positions: the typed tree and
 * the reader's diagnostics. Two texts with equal meanings configure
 * keepalived the same way; the formatter must keep it.
 */
import { type Node, readConfigText, type ReadOptions } from '../../grammar/index.ts';

/** Config ids that make every `@id` line of the corpora apply on one of them and not on another. */
export const CONFIG_IDS = ['node1', 'node2', 'high', 'low', 'n1'];

export function meaning(text: string, path: string, options: ReadOptions = {}): unknown {
  const { config, diagnostics } = readConfigText(text, path, options);
  return {
    tree: config.children.map(shape),
    files: config.files.length,
    diagnostics: diagnostics.map((d) => `${d.ruleId} ${d.severity}: ${d.message}`).sort(),
  };
}

function shape(n: Node): unknown {
  const base = { keyword: n.keyword.text, words: n.words.map((w) => (w.quoted ? `"${w.text}"` : w.text)), params: n.params, options: n.options };
  switch (n.type) {
    case 'Block':
      return { ...base, ignored: n.ignored ?? false, closed: n.close !== undefined, children: n.children.map(shape) };
    case 'List':
      return {
        ...base,
        closed: n.close !== undefined,
        items: n.items.map((i) => ({ kind: i.kind, words: i.words.map((w) => w.text), params: i.params, options: i.options })),
      };
    default:
      return base;
  }
}
