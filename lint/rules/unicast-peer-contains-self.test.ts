import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './unicast-peer-contains-self.ts';

const head = 'vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n';
const vip = '    virtual_ipaddress {\n        10.0.0.10/24\n    }\n}\n';

testRule(rule, {
  valid: [
    `${head}    unicast_src_ip 10.0.0.2\n    unicast_peer {\n        10.0.0.3\n        10.0.0.4\n    }\n${vip}`,
    // Without unicast_src_ip the own address is not known.
    `${head}    unicast_peer {\n        10.0.0.2\n        10.0.0.3\n    }\n${vip}`,
    `${head}    unicast_src_ip 10.0.0.2\n    unicast_peer {\n        10.0.0.20\n    }\n${vip}`,
  ],
  invalid: [
    {
      code: `${head}    unicast_src_ip 10.0.0.2\n    unicast_peer {\n        10.0.0.2\n        10.0.0.3\n    }\n${vip}`,
      errors: [{ line: 6, message: "own unicast_src_ip: keepalived sends its adverts to itself as well" }],
      output: `${head}    unicast_src_ip 10.0.0.2\n    unicast_peer {\n        10.0.0.3\n    }\n${vip}`,
    },
    {
      // The only peer: no fix, the other node's address is missing.
      code: `${head}    unicast_src_ip 10.0.0.3\n    unicast_peer {\n        10.0.0.3\n    }\n${vip}`,
      errors: [{ line: 6, message: 'and its only peer' }],
      output: `${head}    unicast_src_ip 10.0.0.3\n    unicast_peer {\n        10.0.0.3\n    }\n${vip}`,
    },
    {
      // IPv6 written two ways; the item shares its line with a comment, which goes too.
      code: `${head}    unicast_src_ip fd00::2\n    unicast_peer {\n        fd00:0:0::0002 min_ttl 250 # me\n        fd00::3\n    }\n    virtual_ipaddress {\n        fd00::10/64\n    }\n}\n`,
      errors: [{ line: 6, message: 'fd00::2' }],
      output: `${head}    unicast_src_ip fd00::2\n    unicast_peer {\n        fd00::3\n    }\n    virtual_ipaddress {\n        fd00::10/64\n    }\n}\n`,
    },
    {
      // Two items on one line are not removed.
      code: `${head}    unicast_src_ip 10.0.0.2\n    unicast_peer { 10.0.0.3\n        10.0.0.2 }\n${vip}`,
      errors: [{ line: 6 }],
      output: `${head}    unicast_src_ip 10.0.0.2\n    unicast_peer { 10.0.0.3\n        10.0.0.2 }\n${vip}`,
    },
  ],
});
