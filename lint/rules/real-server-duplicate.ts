import { model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { endpoint } from '../helpers/lvs.ts';
import { describe, headerRange } from '../helpers/source.ts';

/** `validate_check_config` removes a real server equal (address and port) to an earlier one of the same virtual server. */
export const rule: LintRule = {
  meta: {
    id: 'real-server-duplicate',
    description: 'Two real_server entries of one virtual server with the same address and port: keepalived keeps only the first.',
    defaultSeverity: 'error',
  },
  create(context) {
    return {
      blocks: {
        virtual_server(vs) {
          const service = model.serviceOf(vs, context.config);
          if (!service) return;
          const written = new Map<string, model.Server>();
          const effective = new Map<string, model.Server>();
          for (const rs of service.realServers) {
            const first = written.get(model.endpointKey(rs.ip, rs.port));
            if (first) {
              context.report({
                range: headerRange(rs.node),
                message: `real_server ${endpoint(rs.ip, rs.port)} is already in this virtual server: keepalived removes this second one, checkers and all ("real server is duplicated - removing second rs"); merge the two blocks or correct the address or port`,
                related: [{ range: headerRange(first.node), message: `first ${describe(first.node)}` }],
              });
              continue;
            }
            written.set(model.endpointKey(rs.ip, rs.port), rs);
            const key = model.endpointKey(rs.ip, rs.effectivePort);
            const same = effective.get(key);
            if (!same) {
              effective.set(key, rs);
              continue;
            }
            context.report({
              range: headerRange(rs.node),
              message: `${describe(rs.node)} and ${describe(same.node)} are the same IPVS destination ${endpoint(rs.ip, rs.effectivePort)} once keepalived gives them the virtual server's port: IPVS holds a destination once, so one of them fails to be added; remove one or make them differ`,
              related: [{ range: headerRange(same.node), message: `${describe(same.node)}, also ${endpoint(rs.ip, rs.effectivePort)}` }],
            });
          }
        },
      },
    };
  },
};
