import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './strict-without-accept.ts';

const strict = 'global_defs {\n    vrrp_strict\n}\n';
const vip = '    virtual_ipaddress {\n        10.0.0.10/24\n    }\n}\n';
const v3 = 'global_defs {\n    vrrp_strict\n    vrrp_version 3\n}\n';

testRule(rule, {
  valid: [
    // Not strict.
    `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priority 100\n${vip}`,
    // The address owner keeps accept mode.
    `${strict}vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priority 255\n${vip}`,
    `${v3}vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priority 100\n    accept\n${vip}`,
    // no_accept chosen on purpose.
    `${strict}vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priority 100\n    no_accept\n${vip}`,
    // The instance opts out of the global strict mode.
    `${strict}vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    strict_mode off\n    unicast_peer {\n        10.0.0.3\n    }\n${vip}`,
  ],
  invalid: [
    {
      code: `${v3}vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priority 100\n${vip}`,
      errors: [{ line: 5, message: "add 'accept'" }],
    },
    {
      // VRRPv2: accept is reset, only version 3 helps.
      code: `${strict}vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priority 100\n    accept\n${vip}`,
      errors: [{ line: 8, message: "keepalived resets 'accept'" }],
    },
    {
      code: `vrrp_instance VI_1 {\n    strict_mode\n    interface eth0\n    virtual_router_id 51\n    priority 100\n${vip}`,
      errors: [{ line: 2, message: "use 'version 3' with 'accept'" }],
    },
    {
      code: `${strict}vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priority 255\n    unicast_src_ip 10.0.0.2\n    unicast_peer {\n        10.0.0.3\n    }\n${vip}`,
      errors: [{ line: 9, message: 'Unicast peers are not supported in strict mode' }],
    },
    {
      // keepalived's own sample configuration.
      code: `${strict}vrrp_instance VI_1 {\n    state MASTER\n    interface eth0\n    virtual_router_id 51\n    priority 100\n    authentication {\n        auth_type PASS\n        auth_pass 1111\n    }\n${vip}`,
      // The authentication block is auth-with-vrrpv3's.
      errors: [
        { line: 4, message: 'VRRPv2 allows no accept mode' },
        { line: 5, message: "ignores 'state MASTER'" },
      ],
    },
    {
      code: `${strict}vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priority 255\n    unicast_peer {\n        10.0.0.3\n    }\n${vip}`,
      options: { targetVersion: '2.2.7' },
      errors: [{ line: 8, message: 'keepalived 2.2.7 accepts unicast peers in strict mode, but 2.4.0' }],
    },
  ],
});
