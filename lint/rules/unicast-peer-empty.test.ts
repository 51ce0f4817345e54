import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './unicast-peer-empty.ts';

const vip = '    virtual_ipaddress {\n        10.0.0.10/24\n    }\n';

testRule(rule, {
  valid: [
    `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n${vip}}\n`,
    `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    unicast_src_ip 10.0.0.2\n    unicast_peer {\n        10.0.0.3\n    }\n${vip}}\n`,
    `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    unicast_ttl 10\n    unicast_peer {\n        10.0.0.3\n    }\n${vip}}\n`,
    // unicast_ttl alone is unicast-ttl-without-peers'.
    `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    unicast_ttl 10\n${vip}}\n`,
    // A peer list that parses in another include file still counts.
    {
      code: `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    unicast_src_ip 10.0.0.2\n    unicast_peer {\n        include peers.conf\n    }\n${vip}}\n`,
      files: { '/etc/keepalived/peers.conf': '10.0.0.3\n' },
    },
  ],
  invalid: [
    {
      code: `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    unicast_src_ip 10.0.0.2\n    unicast_peer {\n    }\n${vip}}\n`,
      errors: [{ line: 5, message: 'unicast_peer lists no usable peer: keepalived ignores the unicast settings' }],
    },
    {
      code: `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    unicast_src_ip 10.0.0.2\n${vip}}\n`,
      errors: [{ line: 4, message: 'unicast_src_ip is set but there is no unicast_peer block' }],
    },
    {
      code: `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    unicast_fault_no_peer\n    unicast_peer {\n    }\n${vip}}\n`,
      errors: [{ line: 5, message: 'holds VI_1 in FAULT' }],
    },
    {
      // The only peer has the wrong family: keepalived drops it.
      code: `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n${vip}    unicast_peer {\n        fd00::3\n    }\n}\n`,
      errors: [{ line: 7, message: 'no usable peer' }],
    },
  ],
});
