import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './vip-label-mismatch.ts';

const inst = (items: string, extra = ''): string =>
  `vrrp_instance VI_1 {\n    interface ens33\n    virtual_router_id 51\n${extra}    virtual_ipaddress {\n${items}    }\n}\n`;

testRule(rule, {
  valid: [
    inst('        10.0.0.10/24 label ens33:0\n        10.0.0.11/24 dev eth1 label eth1:vip\n        10.0.0.12/24 label ens33\n'),
    inst('        10.0.0.10/24\n'),
    // On a VMAC the interface is keepalived's own; not checked.
    inst('        10.0.0.10/24 label ens33:0\n', '    use_vmac\n'),
    'global_defs {\n    default_interface eth2\n}\nstatic_ipaddress {\n    192.168.1.5/24 label eth2:st\n    192.168.2.5/24 dev eth3 label eth3:st\n}\n',
  ],
  invalid: [
    {
      // Copied from a tutorial written for eth0.
      code: inst('        10.0.0.10/24 label eth0:0\n'),
      errors: [{ line: 5, message: "does not name the address's interface ens33" }],
      output: inst('        10.0.0.10/24 label ens33:0\n'),
    },
    {
      // With an explicit dev either word may be wrong: no fix.
      code: inst('        10.0.0.10/24 dev eth1 label eth0:1\n'),
      errors: [{ line: 5, message: 'check that dev is the intended interface' }],
      output: inst('        10.0.0.10/24 dev eth1 label eth0:1\n'),
    },
    {
      code: inst('        fd00::10/64 label ens33:6\n        10.0.0.10/24 label vip\n'),
      errors: [
        { line: 5, message: 'ignores the label of IPv6 address fd00::10' },
        { line: 6, message: "use 'ens33:NAME'" },
      ],
      output: inst('        fd00::10/64\n        10.0.0.10/24 label vip\n'),
    },
    {
      code: 'global_defs {\n    default_interface eth2\n}\nstatic_ipaddress {\n    192.168.1.5/24 label eth0:st\n}\n',
      errors: [{ line: 5, message: 'interface eth2' }],
      output: 'global_defs {\n    default_interface eth2\n}\nstatic_ipaddress {\n    192.168.1.5/24 label eth2:st\n}\n',
    },
  ],
});
