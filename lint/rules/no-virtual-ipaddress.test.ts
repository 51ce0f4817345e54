import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './no-virtual-ipaddress.ts';

const inst = (body: string) => `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n${body}}\n`;
const VIP = '    virtual_ipaddress {\n        10.0.0.1\n    }\n';
const STRICT = 'global_defs {\n    vrrp_strict\n}\n';

testRule(rule, {
  valid: [
    inst(VIP),
    inst('    no_virtual_ipaddress\n'),
    inst(`    version 3\n${VIP}`),
    `${STRICT}${inst(VIP)}`,
  ],
  invalid: [
    { code: inst(''), errors: [{ line: 1, message: "'No VIP specified; at least one is sensible'" }] },
    { code: inst('    version 3\n'), errors: [{ line: 1, message: "for a VRRPv3 instance keepalived refuses to load the configuration ('No VIP specified; at least one is required')" }] },
    { code: `global_defs {\n    vrrp_version 3\n}\n${inst('')}`, errors: [{ line: 4, message: 'VRRPv3' }] },
    { code: `${STRICT}${inst('    no_virtual_ipaddress\n')}`, errors: [{ line: 7, message: "'no_virtual_ipaddress and strict mode incompatible'" }] },
    {
      code: inst('    virtual_ipaddress_excluded {\n        10.0.0.1\n    }\n'),
      errors: [{ line: 1, message: 'virtual_ipaddress_excluded do not count' }],
    },
    // The first address (the unicast source) makes the instance IPv4: the IPv6 VIP is dropped.
    {
      code: inst('    unicast_src_ip 10.0.0.2\n    unicast_peer {\n        10.0.0.3\n    }\n    virtual_ipaddress {\n        fe80::1\n    }\n'),
      errors: [{ line: 1, message: 'at least one is sensible' }],
    },
  ],
});
