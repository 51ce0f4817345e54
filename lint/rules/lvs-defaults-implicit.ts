import { childrenNamed, model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { headerRange, insertBeforeFix } from '../helpers/source.ts';

/** keepalived fills in a missing scheduler (wlc) and forwarding method (NAT), logging each as a configuration error. */
export const rule: LintRule = {
  meta: {
    id: 'lvs-defaults-implicit',
    description: 'A virtual server without lvs_sched or lvs_method: keepalived reports an error and picks wlc or NAT itself.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  create(context) {
    return {
      blocks: {
        virtual_server(vs) {
          const service = model.serviceOf(vs, context.config);
          const first = vs.children[0];
          if (!service || !first) return;
          if (!childrenNamed(vs, 'lvs_sched').length) {
            context.report({
              range: headerRange(vs),
              message: `no lvs_sched: keepalived logs "no scheduler set, setting default 'wlc'" (a configuration error) and uses weighted least-connection; write the scheduler you want`,
              fixes: insertBeforeFix(first, 'lvs_sched wlc', "Write keepalived's default: 'lvs_sched wlc'"),
            });
          }
          const servers = [...service.realServers, ...(service.sorry ? [service.sorry] : [])];
          if (!childrenNamed(vs, 'lvs_method').length && servers.some((s) => !s.ownMethod)) {
            context.report({
              range: headerRange(vs),
              message: `no lvs_method: keepalived logs "no forwarding method set, setting default NAT" (a configuration error) and forwards by NAT, which needs the real servers to route their replies back through this host; write NAT, DR or TUN`,
              fixes: insertBeforeFix(first, 'lvs_method NAT', "Write keepalived's default: 'lvs_method NAT'"),
            });
          }
        },
      },
    };
  },
};
