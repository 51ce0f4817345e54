import type { ClusterRule } from '../cluster.ts';
import { at, named } from './util.ts';

export const rule: ClusterRule = {
  meta: {
    id: 'cluster-priority-tie',
    description: 'Two nodes of one virtual router with the same priority: the higher primary IP address decides, not the configuration.',
    defaultSeverity: 'warning',
  },
  check(ctx) {
    for (const r of ctx.routers) {
      r.members.forEach((m, i) => {
        const twin = r.members.slice(0, i).find((o) => o.priority === m.priority);
        if (!twin) return;
        ctx.report({
          range: at(m, 'priority'),
          message: `${named(m)} and ${named(twin)} both have priority ${m.priority}: the node with the higher primary IP address wins the election; give the intended master a higher priority`,
          related: [{ range: at(twin, 'priority'), message: `priority ${twin.priority} on ${twin.node.label}` }],
        });
      });
    }
  },
};
