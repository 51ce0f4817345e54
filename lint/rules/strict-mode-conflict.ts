import { lastStatement, model, type Node, valueOf } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

/** Settings strict mode overrides, each with keepalived's message and the check on the instance. */
const RESETS: { keyword: string; applies: (v: unknown) => boolean; log: string; effect: string }[] = [
  { keyword: 'down_timer_adverts', applies: (v) => typeof v === 'number' && v !== 3, log: 'down_timer_adverts is incompatible with strict mode - resetting', effect: 'uses 3' },
  { keyword: 'garp_lower_prio_repeat', applies: (v) => typeof v === 'number' && v !== 0, log: 'Strict mode requires no repeat garps. resetting', effect: 'uses 0' },
  { keyword: 'garp_lower_prio_delay', applies: (v) => typeof v === 'number' && v !== 0, log: 'Strict mode requires no repeat garp delay. resetting', effect: 'uses 0' },
  { keyword: 'lower_prio_no_advert', applies: (v) => v === false, log: 'Strict mode requires no lower priority advert. resetting', effect: 'turns it on' },
  { keyword: 'higher_prio_send_advert', applies: (v) => v === true, log: 'strict mode requires higher_prio_send_advert to be clear. resetting', effect: 'turns it off' },
];

/**
 * Strict mode (vrrp_strict / strict_mode) overrides settings that the RFCs do
 * not allow. Accept mode, unicast peers and the initial state under strict
 * mode are strict-without-accept's; authentication is auth-with-vrrpv3's.
 */
export const rule: LintRule = {
  meta: {
    id: 'strict-mode-conflict',
    description: 'A vrrp_instance setting that strict mode overrides.',
    defaultSeverity: 'warning',
  },
  create(context) {
    return {
      blocks: {
        vrrp_instance(instance) {
          const s = model.instanceSettings(instance, context.globals);
          if (!s.strict) return;
          const related = s.strictRange ? [{ range: s.strictRange, message: 'strict mode turned on here' }] : [];
          const report = (node: Node, message: string) => context.report({ range: node.range, message, related });

          for (const r of RESETS) {
            const statement = lastStatement(instance, r.keyword);
            if (statement && r.applies(valueOf(instance, r.keyword))) {
              report(statement, `${r.keyword} is overridden in strict mode: keepalived logs '${r.log}' and ${r.effect}; remove the line or turn strict mode off for this instance`);
            }
          }

          const vmac = lastStatement(instance, 'use_vmac');
          if (vmac?.params['mac'] !== undefined) {
            report(vmac, "strict mode does not allow a VMAC address of your choosing: keepalived logs 'cannot specify MAC address with strict mode - clearing' and uses the standard VRRP MAC address (00:00:5e:00:01:VRID for IPv4); remove the address");
          }
          const xmit = lastStatement(instance, 'vmac_xmit_base');
          if (xmit && vmac) {
            report(xmit, "vmac_xmit_base is cleared in strict mode: keepalived logs 'xmit_base is incompatible with strict mode - resetting' and sends adverts from the VMAC; remove the line");
          }
        },
      },
    };
  },
};
