import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './vip-family-mismatch.ts';

testRule(rule, {
  valid: [
    'vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        10.0.0.10/24\n        10.0.0.11/24\n    }\n}\n',
    'vrrp_instance VI_6 {\n    interface eth0\n    virtual_router_id 52\n    virtual_ipaddress {\n        fe80::10\n        fd00::10/64\n    }\n}\n',
    // Excluded addresses may mix families.
    'vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        10.0.0.10/24\n    }\n    virtual_ipaddress_excluded {\n        fd00::10/64\n    }\n}\n',
    // Two instances in a sync group, one per family.
    'vrrp_sync_group G {\n    group {\n        VI_4\n        VI_6\n    }\n}\nvrrp_instance VI_4 {\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        10.0.0.10/24\n    }\n}\nvrrp_instance VI_6 {\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        fd00::10/64\n    }\n}\n',
  ],
  invalid: [
    {
      code: 'vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        10.0.0.10/24\n        fd00::10/64\n        10.0.0.11/24\n        fd00::11/64\n    }\n}\n',
      errors: [
        { line: 6, message: 'drops this IPv6 VIP' },
        { line: 8, message: 'its first VIP 10.0.0.10' },
      ],
    },
    {
      // The family is decided in source order: here by unicast_src_ip, before any VIP.
      code: 'vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    unicast_src_ip 10.0.0.2\n    unicast_peer {\n        10.0.0.3\n    }\n    virtual_ipaddress {\n        fd00::10/64\n    }\n}\n',
      errors: [{ line: 9, message: 'unicast_src_ip 10.0.0.2' }],
    },
    {
      code: 'vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        fd00::10/64\n    }\n    virtual_ipaddress {\n        192.168.1.10/24 dev eth1\n    }\n}\n',
      errors: [{ line: 8, message: 'drops this IPv4 VIP: instance VI_1 is IPv6' }],
    },
  ],
});
