import type { ClusterRule } from '../cluster.ts';
import { effectivePriority, holder } from '../cluster.ts';
import { named } from './util.ts';

export const rule: ClusterRule = {
  meta: {
    id: 'script-weight-cannot-failover',
    description: 'A tracked script whose failure never moves the VIP, given the priorities of the nodes: the weight is too small, or the next node does not preempt.',
    defaultSeverity: 'error',
  },
  check(ctx) {
    for (const r of ctx.routers) {
      const master = holder(r);
      if (!master || r.members.length < 2) continue;
      for (const s of master.scripts) {
        if (s.weight === 0) continue;
        const failing = new Set([s]);
        const after = holder(r, failing);
        const before = effectivePriority(master);
        const dropped = effectivePriority(master, failing);
        if (after === master) {
          const next = Math.max(...r.members.filter((m) => m !== master).map((m) => effectivePriority(m, failing)));
          ctx.report({
            range: s.item.range,
            message: `when ${s.name} fails on ${master.node.label}, its priority goes from ${before} to ${dropped}, still above ${next}: the VIP never moves; use a weight of at least ${before - next + 1} in magnitude, or weight 0 (FAULT)`,
          });
        } else if (after && !after.preempt) {
          ctx.report({
            range: s.item.range,
            message: `when ${s.name} fails on ${master.node.label}, ${named(after)} has the higher priority but nopreempt: it never takes over from a running master, so the VIP stays`,
            related: [{ range: after.instance.keyword.range, message: `nopreempt instance on ${after.node.label}` }],
          });
        }
      }
    }
  },
};
