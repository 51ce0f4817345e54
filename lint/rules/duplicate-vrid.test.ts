import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './duplicate-vrid.ts';

const inst = (name: string, body: string) => `vrrp_instance ${name} {\n${body}}\n`;
const mc = (name: string, iface: string, vrid: number, vip = '10.0.0.1', extra = '') =>
  inst(name, `    interface ${iface}\n    virtual_router_id ${vrid}\n${extra}    virtual_ipaddress {\n        ${vip}\n    }\n`);
const uc = (name: string, src: string, peers: string[], vrid = 51) =>
  inst(name, `    interface eth0\n    virtual_router_id ${vrid}\n    unicast_src_ip ${src}\n    unicast_peer {\n${peers.map((p) => `        ${p}\n`).join('')}    }\n    virtual_ipaddress {\n        10.0.0.1\n    }\n`);

testRule(rule, {
  valid: [
    mc('VI_1', 'eth0', 51) + mc('VI_2', 'eth0', 52),
    mc('VI_1', 'eth0', 51) + mc('VI_2', 'eth1', 51),
    // IPv4 and IPv6 are separate VRID spaces.
    mc('VI_1', 'eth0', 51) + mc('VI_2', 'eth0', 51, 'fe80::1'),
    // So are multicast groups.
    mc('VI_1', 'eth0', 51) + mc('VI_2', 'eth0', 51, '10.0.0.2', '    mcast_dst_ip 224.0.0.19\n'),
    // And unicast against multicast.
    mc('VI_1', 'eth0', 51) + uc('VI_2', '10.0.0.10', ['10.0.0.11']),
    // Unicast: different peers, or different source addresses.
    uc('VI_1', '10.0.0.10', ['10.0.0.11']) + uc('VI_2', '10.0.0.10', ['10.0.0.12']),
    uc('VI_1', '10.0.0.10', ['10.0.0.11']) + uc('VI_2', '10.0.0.20', ['10.0.0.11']),
  ],
  invalid: [
    {
      code: mc('VI_1', 'eth0', 51) + mc('VI_2', 'eth0', 51, '10.0.0.2'),
      errors: [{ line: 10, message: "'VI_1 and VI_2 both use VRID 51 with IPv4 on interface eth0'" }],
    },
    {
      // An explicit mcast_dst_ip equal to the default group is the same group.
      code: mc('VI_1', 'eth0', 51) + mc('VI_2', 'eth0', 51, '10.0.0.2', '    mcast_dst_ip 224.0.0.18\n'),
      errors: [{ line: 10, message: 'VRID 51' }],
    },
    {
      code: mc('VI_1', 'eth0', 7) + mc('VI_2', 'eth0', 8) + mc('VI_3', 'eth0', 7, '10.0.0.3'),
      errors: [{ line: 17, message: 'like VI_1' }],
    },
    {
      code: uc('VI_1', '10.0.0.10', ['10.0.0.11', '10.0.0.12']) + uc('VI_2', '10.0.0.10', ['10.0.0.12']),
      errors: [{ line: 15, message: "'(VI_1) duplicate VRID conflict with VI_2 VRID 51'" }],
    },
  ],
});
