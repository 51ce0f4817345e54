import { model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

const WHY: Record<model.V3Reason, string> = {
  version: "the instance sets 'version 3'",
  vrrp_version: "global_defs sets 'vrrp_version 3'",
  ipv6: 'it is an IPv6 instance, for which keepalived uses VRRPv3',
  native_ipv6: "'native_ipv6' makes it speak VRRPv3",
};

/** keepalived drops the legacy `authentication` block in strict mode and for VRRPv3. */
export const rule: LintRule = {
  meta: {
    id: 'auth-with-vrrpv3',
    description: 'An authentication block is ignored by an instance that runs in strict mode or speaks VRRPv3.',
    defaultSeverity: 'error',
  },
  create(context) {
    return {
      blocks: {
        vrrp_instance(instance) {
          // Without auth_type keepalived never turns authentication on, so there is nothing to ignore.
          const auth = model.authenticationOf(instance)?.block;
          if (!auth) return;
          const s = model.instanceSettings(instance, context.globals);
          if (s.strict) {
            context.report({
              range: auth.keyword.range,
              message:
                "authentication is ignored in strict mode: keepalived logs 'Strict mode does not support authentication. Ignoring.' and accepts adverts from any router with this VRID; remove the block",
              related: s.strictRange ? [{ range: s.strictRange, message: 'strict mode turned on here' }] : [],
            });
          } else if (s.version === 3) {
            context.report({
              range: auth.keyword.range,
              message: `authentication is ignored because ${WHY[s.v3?.reason ?? 'version']}: keepalived logs 'VRRP version 3 does not support authentication. Ignoring.' and accepts adverts whatever their password; remove the block`,
              related: s.v3?.range ? [{ range: s.v3.range, message: 'VRRPv3 chosen here' }] : [],
            });
          }
        },
      },
    };
  },
};
