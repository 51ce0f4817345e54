import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './unicast-ttl-without-peers.ts';

const inst = (body: string, vip = '10.0.0.1') =>
  `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n${body}    virtual_ipaddress {\n        ${vip}\n    }\n}\n`;

testRule(rule, {
  valid: [
    inst('    unicast_ttl 10\n    unicast_peer {\n        10.0.0.2\n    }\n'),
    inst('    unicast_peer {\n        10.0.0.2\n    }\n'),
    inst(''),
    // Peers given in another unicast_peer block count too.
    inst('    unicast_peer {\n    }\n    unicast_ttl 10\n    unicast_peer {\n        10.0.0.2\n    }\n'),
  ],
  invalid: [
    {
      code: inst('    unicast_ttl 10\n'),
      errors: [{ line: 4, message: 'resets the TTL to 0' }],
      output: inst(''),
    },
    {
      // An empty peer list is no peer.
      code: inst('    unicast_src_ip 10.0.0.5\n    unicast_peer {\n    }\n    unicast_ttl 255\n'),
      errors: [{ line: 7, message: "'Cannot use unicast_ttl without unicast peers - resetting'" }],
    },
    {
      // IPv6 multicast adverts do not use the value: ignored only.
      code: inst('    unicast_ttl 10\n', 'fe80::1'),
      errors: [{ line: 4, message: 'has no effect' }],
      output: inst('', 'fe80::1'),
    },
  ],
});
