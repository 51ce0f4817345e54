import { childrenNamed, type Fix, ipOf, type Item, type List, type Node, valueOf } from '../../grammar/index.ts';
import type { LintRule, RuleContext } from '../rule.ts';

/** The `label NAME` words of an item, when it has them. */
function labelWords(item: Item) {
  const at = item.words.findIndex((w, i) => i > 0 && w.text === 'label');
  const value = item.words[at + 1];
  return at > 0 && value ? { keyword: item.words[at]!, value } : undefined;
}

/** The interface an address goes on: its `dev`, else the instance's interface (not known with a VMAC/ipvlan) or the default interface. */
function deviceOf(item: Item, fallback: string | undefined): { name: string; fromDev: boolean } | undefined {
  const dev = item.options['dev'];
  if (dev && dev !== true && typeof dev['interface'] === 'string') return { name: dev['interface'], fromDev: true };
  if ('use_vmac' in item.options || !fallback) return undefined;
  return { name: fallback, fromDev: false };
}

function check(context: RuleContext, list: List, fallback: string | undefined): void {
  for (const item of list.items) {
    const ip = ipOf(item);
    const label = labelWords(item);
    if (!ip || !label) continue;
    const { keyword, value } = label;
    const frame = keyword.frame || value.frame;
    if (ip.family === 6) {
      const text = keyword.file.text;
      let start = keyword.start;
      while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
      const fix: Fix = { description: `Remove 'label ${value.text}'`, edits: [{ range: { file: keyword.file, start, end: value.end }, text: '' }] };
      context.report({
        range: { file: keyword.file, start: keyword.start, end: value.end },
        message: `keepalived ignores the label of IPv6 address ${ip.address} ("Cannot specify label for IPv6 addresses"): only IPv4 addresses have labels; remove it`,
        fixes: frame || value.file !== keyword.file ? [] : [fix],
      });
      continue;
    }
    const device = deviceOf(item, fallback);
    if (!device || value.text === device.name || value.text.startsWith(`${device.name}:`)) continue;
    const suffix = /^[^:]+:(.+)$/.exec(value.text)?.[1];
    const better = suffix !== undefined ? `${device.name}:${suffix}` : undefined;
    const fixable = better && !device.fromDev && !frame && Buffer.byteLength(better) <= 15;
    context.report({
      range: value.range,
      message:
        `label '${value.text}' does not name the address's interface ${device.name} (${device.name}:NAME): the kernel accepts it, ` +
        `but ifconfig and scripts that read labels as interface aliases show ${ip.address} under another interface, and iproute2 before 5.17 refuses such a label; ` +
        `use '${better ?? `${device.name}:NAME`}'${device.fromDev ? ', or check that dev is the intended interface' : ''}`,
      fixes: fixable ? [{ description: `Use label '${better}'`, edits: [{ range: value.range, text: better! }] }] : [],
    });
  }
}

/** Address labels are named after the interface, `eth0:1`; keepalived passes them to the kernel as written. */
export const rule: LintRule = {
  meta: {
    id: 'vip-label-mismatch',
    description: 'An address label should start with the name of the interface the address goes on, and IPv6 addresses take none.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  create(context) {
    const lists = (parent: { children: Node[] }, keywords: string[]) =>
      keywords.flatMap((k) => childrenNamed(parent, k)).filter((n): n is List => n.type === 'List');
    return {
      config(config) {
        const fallback = context.globals.value('default_interface');
        for (const list of lists(config, ['static_ipaddress'])) check(context, list, typeof fallback === 'string' ? fallback : undefined);
      },
      blocks: {
        vrrp_instance(instance) {
          const vmac = childrenNamed(instance, 'use_vmac').length > 0 || childrenNamed(instance, 'use_ipvlan').length > 0;
          const iface = valueOf(instance, 'interface');
          const fallback = !vmac && typeof iface === 'string' ? iface : undefined;
          for (const list of lists(instance, ['virtual_ipaddress', 'virtual_ipaddress_excluded'])) check(context, list, fallback);
        },
      },
    };
  },
};
