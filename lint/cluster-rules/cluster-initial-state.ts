import type { ClusterRule } from '../cluster.ts';
import { at, named } from './util.ts';

/** `cluster-two-masters` and `cluster-no-master`: the initial states across the nodes. */
export const twoMasters: ClusterRule = {
  meta: {
    id: 'cluster-two-masters',
    description: 'More than one node of a virtual router starts as MASTER: both claim the VIP at start-up until they hear each other.',
    defaultSeverity: 'warning',
  },
  check(ctx) {
    for (const r of ctx.routers) {
      const masters = r.members.filter((m) => m.state === 'MASTER');
      for (const m of masters.slice(1)) {
        ctx.report({
          range: at(m, 'state'),
          message: `${named(m)} and ${named(masters[0]!)} both start as MASTER: the one with the lower priority steps back only after it hears the other; start every node but one as BACKUP`,
          related: [{ range: at(masters[0]!, 'state'), message: `state MASTER on ${masters[0]!.node.label}` }],
        });
      }
    }
  },
};

export const noMaster: ClusterRule = {
  meta: {
    id: 'cluster-no-master',
    description: 'No node of a virtual router starts as MASTER or has the highest priority alone: which node holds the VIP is left to chance.',
    defaultSeverity: 'warning',
  },
  check(ctx) {
    for (const r of ctx.routers) {
      if (r.members.length < 2 || r.members.some((m) => m.state === 'MASTER')) continue;
      const top = Math.max(...r.members.map((m) => m.priority));
      const leaders = r.members.filter((m) => m.priority === top);
      if (leaders.length < 2) continue;
      ctx.report({
        range: at(leaders[1]!, 'priority'),
        message: `no node of VRID ${r.vrid} is preferred: ${leaders.map(named).join(' and ')} share the highest priority ${top} and none starts as MASTER`,
        related: [{ range: at(leaders[0]!, 'priority'), message: `priority ${top} on ${leaders[0]!.node.label}` }],
      });
    }
  },
};
