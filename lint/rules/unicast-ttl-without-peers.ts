import { childrenNamed, lastStatement, model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { deleteFix } from '../helpers/source.ts';

/**
 * keepalived "resets" `unicast_ttl` on an instance without unicast peers, to 0:
 * IPv4 multicast adverts then leave with TTL 0, and other routers, which
 * require 255, discard them.
 */
export const rule: LintRule = {
  meta: {
    id: 'unicast-ttl-without-peers',
    description: 'unicast_ttl on an instance without unicast peers is reset, breaking IPv4 multicast adverts.',
    defaultSeverity: 'error',
    fixable: true,
  },
  create(context) {
    return {
      blocks: {
        vrrp_instance(instance) {
          const ttl = lastStatement(instance, 'unicast_ttl');
          const value = ttl?.params['ttl'];
          if (!ttl || typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255) return;
          const { family } = model.instanceSettings(instance, context.globals);
          if (model.addressesOf(instance, 'unicast_peer').some((p) => p.ip.family === family)) return;
          const fixes = deleteFix(ttl, 'Remove unicast_ttl');
          const quote = "keepalived logs 'Cannot use unicast_ttl without unicast peers - resetting'";
          // With unicast_fault_no_peer the instance stays in FAULT and sends nothing.
          if (family === 6 || childrenNamed(instance, 'unicast_fault_no_peer').length) {
            context.report({ range: ttl.range, severity: 'warning', message: `unicast_ttl has no effect without unicast_peer entries: ${quote}; remove it or add the peers`, fixes });
            return;
          }
          context.report({
            range: ttl.range,
            message: `unicast_ttl without unicast_peer entries breaks this instance's multicast adverts: ${quote}, but resets the TTL to 0 rather than 255, and the other routers discard adverts whose TTL is not 255 and become MASTER as well; remove unicast_ttl or add the peers`,
            fixes,
          });
        },
      },
    };
  },
};
