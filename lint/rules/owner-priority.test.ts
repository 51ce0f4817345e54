import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './owner-priority.ts';

const SCRIPT = 'vrrp_script chk {\n    script "/usr/bin/true"\n    weight -20\n}\n';
const inst = (body: string, name = 'VI_1') =>
  `vrrp_instance ${name} {\n    interface eth0\n    virtual_router_id 51\n${body}    virtual_ipaddress {\n        10.0.0.1\n    }\n}\n`;

testRule(rule, {
  valid: [
    SCRIPT + inst('    priority 254\n    track_script {\n        chk\n    }\n'),
    // Weight 0 on the entry overrides the script's weight.
    SCRIPT + inst('    priority 255\n    track_script {\n        chk weight 0\n    }\n    track_interface {\n        eth1\n    }\n'),
    inst('    state MASTER\n    priority 255\n'),
    // In a sync group the sync group's override comes first (sync-group-weighted-trackers).
    `vrrp_sync_group G {\n    group {\n        VI_1\n        VI_2\n    }\n}\n${inst('    priority 255\n    track_interface {\n        eth1 weight -10\n    }\n')}`,
    // An invalid priority becomes 100, not 255.
    inst('    state MASTER\n    priority 300\n    track_interface {\n        eth1 weight -10\n    }\n'),
  ],
  invalid: [
    {
      // The weight comes from the vrrp_script.
      code: SCRIPT + inst('    priority 255\n    track_script {\n        chk\n    }\n'),
      errors: [{ line: 10, message: "'ignoring tracked script chk with weights due to address_owner'" }],
    },
    {
      // state MASTER without priority means priority 255.
      code: inst('    state MASTER\n    track_interface {\n        eth1 weight -10\n    }\n'),
      errors: [{ line: 6, message: "keepalived's default with state MASTER" }],
    },
    {
      code: inst('    state BACKUP\n    priority 255\n'),
      errors: [{ line: 4, message: "'state BACKUP' does not make an address owner a backup" }],
    },
    {
      code: `global_defs {\n    vrrp_strict\n}\n${inst('    state BACKUP\n    priority 255\n')}`,
      errors: [{ line: 7, message: "'State MASTER must match being address owner'" }],
    },
    {
      // track_file entries take the file's weight, 1 by default.
      code: `track_file f {\n    file /run/f\n}\n${inst('    priority 255\n    track_file {\n        f\n    }\n')}`,
      errors: [{ line: 9, message: 'to 0' }],
    },
  ],
});
