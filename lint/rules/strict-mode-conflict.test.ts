import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './strict-mode-conflict.ts';

const STRICT = 'global_defs {\n    vrrp_strict\n}\n';
const inst = (body: string) =>
  `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n${body}    virtual_ipaddress {\n        10.0.0.1\n    }\n}\n`;

testRule(rule, {
  valid: [
    STRICT + inst('    down_timer_adverts 3\n    lower_prio_no_advert\n    garp_lower_prio_repeat 0\n'),
    STRICT + inst('    use_vmac\n'),
    // Not strict: the settings stand.
    inst('    down_timer_adverts 5\n    higher_prio_send_advert\n'),
    // strict_mode off in the instance overrides vrrp_strict.
    STRICT + inst('    strict_mode off\n    garp_lower_prio_repeat 2\n'),
    // higher_prio_send_advert false is what strict mode wants.
    STRICT + inst('    higher_prio_send_advert false\n'),
  ],
  invalid: [
    {
      code: inst('    strict_mode\n    down_timer_adverts 5\n    higher_prio_send_advert\n'),
      errors: [
        { line: 5, message: "'down_timer_adverts is incompatible with strict mode - resetting'" },
        { line: 6, message: "'strict mode requires higher_prio_send_advert to be clear. resetting'" },
      ],
    },
    { code: STRICT + inst('    lower_prio_no_advert false\n'), errors: [{ line: 7, message: 'turns it on' }] },
    {
      code: STRICT + inst('    garp_lower_prio_repeat 2\n    garp_lower_prio_delay 5\n'),
      errors: [
        { line: 7, message: "'Strict mode requires no repeat garps. resetting'" },
        { line: 8, message: "'Strict mode requires no repeat garp delay. resetting'" },
      ],
    },
    {
      code: STRICT + inst('    use_vmac vrrp51 02:00:00:00:01\n    vmac_xmit_base\n'),
      errors: [
        { line: 7, message: "'cannot specify MAC address with strict mode - clearing'" },
        { line: 8, message: "'xmit_base is incompatible with strict mode - resetting'" },
      ],
    },
  ],
});
