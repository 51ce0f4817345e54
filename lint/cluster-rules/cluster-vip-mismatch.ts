import type { ClusterRule } from '../cluster.ts';
import { at, named } from './util.ts';

export const rule: ClusterRule = {
  meta: {
    id: 'cluster-vip-mismatch',
    description: 'Nodes of one virtual router list different VIPs: after a failover the new master owns other addresses.',
    defaultSeverity: 'error',
  },
  check(ctx) {
    for (const r of ctx.routers) {
      const [first, ...rest] = r.members;
      for (const m of rest) {
        if (m.vips.join(' ') === first!.vips.join(' ')) continue;
        const missing = first!.vips.filter((v) => !m.vips.includes(v));
        const extra = m.vips.filter((v) => !first!.vips.includes(v));
        const diff = [missing.length ? `lacks ${missing.join(', ')}` : '', extra.length ? `adds ${extra.join(', ')}` : ''].filter(Boolean).join(' and ');
        ctx.report({
          range: at(m, 'virtual_ipaddress'),
          message: `${named(m)} ${diff} compared with ${named(first!)} (VRID ${r.vrid}): keepalived logs the difference on every advert and a failover moves other addresses`,
          related: [{ range: at(first!, 'virtual_ipaddress'), message: `VIPs on ${first!.node.label}` }],
        });
      }
    }
  },
};
