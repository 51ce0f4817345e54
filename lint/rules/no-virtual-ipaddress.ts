import { childrenNamed, compareVersions, itemsOf, model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

/** An instance without virtual addresses: refused for VRRPv3 and in strict mode, pointless otherwise. */
export const rule: LintRule = {
  meta: {
    id: 'no-virtual-ipaddress',
    description: 'A vrrp_instance has no virtual_ipaddress entries.',
    defaultSeverity: 'error',
  },
  create(context) {
    return {
      blocks: {
        vrrp_instance(instance) {
          const s = model.instanceSettings(instance, context.globals);
          // Addresses of the other family are dropped: only the instance's family counts.
          if (model.addressesOf(instance, 'virtual_ipaddress').some((a) => a.ip.family === s.family)) return;
          const allow = childrenNamed(instance, 'no_virtual_ipaddress')[0];
          const strictRelated = s.strictRange ? [{ range: s.strictRange, message: 'strict mode turned on here' }] : [];
          const refused = "keepalived refuses to load the configuration ('No VIP specified; at least one is required')";
          if (allow) {
            if (!s.strict) return;
            context.report({
              range: allow.range,
              message: `no_virtual_ipaddress does not work in strict mode: keepalived clears it ('no_virtual_ipaddress and strict mode incompatible') and then ${refused.replace('keepalived ', '')}; add a virtual_ipaddress or turn strict mode off for this instance`,
              related: strictRelated,
            });
            return;
          }
          const excluded = itemsOf(instance, 'virtual_ipaddress_excluded').length ? ' (addresses in virtual_ipaddress_excluded do not count)' : '';
          const range = instance.words[0]?.range ?? instance.keyword.range;
          if (s.strict || s.version === 3) {
            const why = s.strict ? 'in strict mode' : 'for a VRRPv3 instance';
            context.report({
              range,
              message: `${instance.name} has no virtual_ipaddress${excluded}: ${why} ${refused}; add the virtual address`,
              related: s.strict ? strictRelated : s.v3?.range ? [{ range: s.v3.range, message: 'VRRPv3 chosen here' }] : [],
            });
            return;
          }
          const intended = compareVersions(context.targetVersion, '2.2.8') >= 0 ? ", or 'no_virtual_ipaddress' if the instance only drives notify scripts" : '';
          context.report({
            range,
            severity: 'warning',
            message: `${instance.name} has no virtual_ipaddress${excluded}: keepalived warns 'No VIP specified; at least one is sensible', and the elected MASTER moves no address; add the virtual address${intended}`,
          });
        },
      },
    };
  },
};
