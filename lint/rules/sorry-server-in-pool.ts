import { model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { endpoint } from '../helpers/lvs.ts';
import { describe, headerRange } from '../helpers/source.ts';

/**
 * keepalived swaps the pool for the sorry server when the live weight falls
 * below the quorum. A sorry server that is also a real server whose weight
 * alone keeps the quorum is only used once it has failed itself. (With a
 * larger quorum, falling back to one pool member is a legitimate design.)
 */
export const rule: LintRule = {
  meta: {
    id: 'sorry-server-in-pool',
    description: 'A sorry_server that is also a real server whose weight alone meets the quorum, so it is only used once it is down.',
    defaultSeverity: 'warning',
  },
  create(context) {
    return {
      blocks: {
        virtual_server(vs) {
          const service = model.serviceOf(vs, context.config);
          const sorry = service?.sorry;
          if (!sorry) return;
          const key = model.endpointKey(sorry.ip, sorry.port);
          const effective = model.endpointKey(sorry.ip, sorry.effectivePort);
          const rs = service.realServers.find((r) => model.endpointKey(r.ip, r.port) === key || model.endpointKey(r.ip, r.effectivePort) === effective);
          if (!rs) return;
          const { effectiveQuorum, effectiveHysteresis } = model.quorumOf(service);
          if (rs.weight === 0 || rs.weight < effectiveQuorum - effectiveHysteresis) return;
          context.report({
            range: headerRange(sorry.node),
            message: `sorry_server ${endpoint(sorry.ip, sorry.effectivePort)} is also a real server of this virtual server, and while it is up its weight (${rs.weight}) keeps the quorum: keepalived only switches to the sorry server once this server has failed too, so clients get a dead server instead of a fallback; point sorry_server at a host outside the pool`,
            related: [{ range: headerRange(rs.node), message: `${describe(rs.node)} is in the pool` }],
          });
        },
      },
    };
  },
};
