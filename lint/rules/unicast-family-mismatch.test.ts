import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './unicast-family-mismatch.ts';

const head = 'vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n';

testRule(rule, {
  valid: [
    `${head}    virtual_ipaddress {\n        10.0.0.10/24\n    }\n    unicast_src_ip 10.0.0.2\n    unicast_peer {\n        10.0.0.3\n    }\n}\n`,
    `${head}    virtual_ipaddress {\n        fd00::10/64\n    }\n    unicast_src_ip fd00::2\n    unicast_peer {\n        fd00::3\n    }\n}\n`,
    // Excluded addresses do not decide the family.
    `${head}    virtual_ipaddress_excluded {\n        fd00::10/64\n    }\n    unicast_peer {\n        10.0.0.3\n    }\n}\n`,
  ],
  invalid: [
    {
      code: `${head}    virtual_ipaddress {\n        10.0.0.10/24\n    }\n    unicast_src_ip 10.0.0.2\n    unicast_peer {\n        10.0.0.3\n        fd00::3\n    }\n}\n`,
      errors: [{ line: 10, message: 'skips this IPv6 peer' }],
    },
    {
      code: `${head}    virtual_ipaddress {\n        fd00::10/64\n    }\n    mcast_src_ip 10.0.0.2\n}\n`,
      errors: [{ line: 7, message: 'ignores this IPv4 mcast_src_ip' }],
    },
    {
      // The first peer decides before the VIPs.
      code: `${head}    unicast_peer {\n        fd00::3\n    }\n    unicast_src_ip 10.0.0.2\n}\n`,
      errors: [{ line: 7, message: 'its first unicast peer fd00::3' }],
    },
  ],
});
