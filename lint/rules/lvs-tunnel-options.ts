import { model } from '../../grammar/index.ts';
import type { Node, Statement } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

/** What `svr_forwarding_handler` rejects in the tunnel options, if anything. */
function problem(s: Statement): string | undefined {
  const type = s.options['type'];
  const tunnel = type && type !== true ? type['tunnel'] : 'ipip';
  const port = 'port' in s.options;
  if ((tunnel === 'gue') !== port) return tunnel === 'gue' ? "a gue tunnel needs 'port N'" : `'port' is only for gue tunnels, not ${tunnel}`;
  if (tunnel === 'ipip' && ('csum' in s.options || 'remcsum' in s.options)) return 'ipip tunnels take no checksum option';
  if (tunnel === 'gre' && 'remcsum' in s.options) return 'gre tunnels do not support remcsum';
  return undefined;
}

/** keepalived sets the method but rejects the whole set of tunnel options when they do not fit together. */
export const rule: LintRule = {
  meta: {
    id: 'lvs-tunnel-options',
    description: 'Forwarding-method tunnel options that do not fit together (gue without port, port without gue, csum on ipip ...): keepalived ignores them all.',
    defaultSeverity: 'error',
  },
  create(context) {
    const visit = (keywords: string[]) => (block: { children: Node[] }) => {
      for (const n of block.children) {
        if (n.type !== 'Statement' || !keywords.includes(n.def.aliasOf ?? n.def.name) || model.accepted(n, 'method') === undefined) continue;
        const why = problem(n);
        if (!why) continue;
        context.report({
          range: n.range,
          message: `${why}: keepalived sets the method but rejects every tunnel option on this line, keeping the tunnel settings it had (the virtual server's, else plain ipip)`,
        });
      }
    };
    return { blocks: { virtual_server: visit(['lvs_method', 'sorry_server_lvs_method']), real_server: visit(['lvs_method']) } };
  },
};
