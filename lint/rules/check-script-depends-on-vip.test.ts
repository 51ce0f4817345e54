import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './check-script-depends-on-vip.ts';

const inst = (track = '    track_script {\n        chk\n    }\n', vip = '10.0.0.100/24'): string =>
  `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        ${vip}\n    }\n${track}}\n`;
const script = (command: string): string => `vrrp_script chk {\n    script "${command}"\n    weight -30\n}\n`;

testRule(rule, {
  valid: [
    script('/usr/bin/curl -sf http://127.0.0.1/') + inst(),
    // 10.0.0.1 is another address than the VIP 10.0.0.100.
    script('/usr/bin/nc -z 10.0.0.1 80') + inst(),
    // Not tracked by the instance that has the VIP.
    script('/usr/bin/ping -c1 10.0.0.100') + inst(''),
    script('/usr/bin/curl -sf http://10.0.0.1000/') + inst(),
  ],
  invalid: [
    {
      code: script('/usr/bin/curl -sf http://10.0.0.100/health') + inst(),
      errors: [{ line: 2, message: 'This check tests 10.0.0.100, a VIP of vrrp_instance VI_1' }],
    },
    {
      code: script("/bin/sh -c 'ip addr | grep -q 10.0.0.100'") + inst(),
      errors: [{ line: 2, message: 'the MASTER role flaps' }],
    },
    {
      // IPv6 written in another form, tracked through a sync group.
      code:
        script('/usr/bin/curl -g http://[fd00:0::10]:80/') +
        'vrrp_sync_group G {\n    group {\n        VI_6\n    }\n    track_script {\n        chk\n    }\n}\n' +
        'vrrp_instance VI_6 {\n    interface eth0\n    virtual_router_id 52\n    virtual_ipaddress {\n        fd00::10/64\n    }\n}\n',
      errors: [{ line: 2, message: 'fd00::10, a VIP of vrrp_sync_group G' }],
    },
    {
      // An excluded address moves with the VIPs too.
      code: script('/usr/bin/nc -z 192.168.5.5 443') + inst('    virtual_ipaddress_excluded {\n        192.168.5.5/24\n    }\n    track_script {\n        chk\n    }\n'),
      errors: [{ line: 2, message: '192.168.5.5' }],
    },
  ],
});
