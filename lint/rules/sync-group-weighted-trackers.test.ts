import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './sync-group-weighted-trackers.ts';

const inst = (name: string, vrid: number, body = '') =>
  `vrrp_instance ${name} {\n    interface eth0\n    virtual_router_id ${vrid}\n${body}    virtual_ipaddress {\n        10.0.0.${vrid}\n    }\n}\n`;
const group = (name: string, members: string, body = '') => `vrrp_sync_group ${name} {\n    group {\n        ${members}\n    }\n${body}}\n`;
const WEIGHTED = '    track_interface {\n        eth1 weight -20\n    }\n';

testRule(rule, {
  valid: [
    group('G', 'VI_1 VI_2') + inst('VI_1', 1, '    track_interface {\n        eth1\n    }\n') + inst('VI_2', 2),
    group('G', 'VI_1 VI_2', '    sync_group_tracking_weight\n') + inst('VI_1', 1, WEIGHTED) + inst('VI_2', 2),
    // The deprecated spelling works the same way.
    group('G', 'VI_1 VI_2', '    global_tracking\n') + inst('VI_1', 1, WEIGHTED) + inst('VI_2', 2),
    // Not in a sync group.
    inst('VI_1', 1, WEIGHTED),
    // Weighted trackers on the group itself are fine while no member owns the address.
    group('G', 'VI_1 VI_2', '    track_interface {\n        eth1 weight -20\n    }\n') + inst('VI_1', 1) + inst('VI_2', 2),
  ],
  invalid: [
    {
      code: group('G', 'VI_1 VI_2') + inst('VI_1', 1, WEIGHTED) + inst('VI_2', 2),
      errors: [{ line: 10, message: "'ignoring eth1 tracked interface weight due to SYNC group'" }],
    },
    {
      // The weight comes from the vrrp_script.
      code:
        'vrrp_script chk {\n    script "/usr/bin/true"\n    weight 10\n}\n' +
        group('G', 'VI_1 VI_2') +
        inst('VI_1', 1, '    track_script {\n        chk\n    }\n') +
        inst('VI_2', 2),
      errors: [{ line: 14, message: "'ignoring tracked script chk with weights due to SYNC group'" }],
    },
    { code: group('G', 'VI_1') + inst('VI_1', 1), errors: [{ line: 1, message: "'Sync group G has only 1 virtual router(s)" }] },
    {
      code: group('G1', 'VI_1 VI_2') + group('G2', 'VI_1 VI_3') + inst('VI_1', 1) + inst('VI_2', 2) + inst('VI_3', 3),
      errors: [
        { line: 8, message: "'Virtual router VI_1 cannot exist in more than one sync group; ignoring G2'" },
        { line: 6, message: 'only one member (VI_3)' },
      ],
    },
    {
      code: group('G', 'VI_1 VI_2', '    track_interface {\n        eth1 weight -20\n    }\n') + inst('VI_1', 1, '    priority 255\n') + inst('VI_2', 2),
      errors: [{ line: 6, message: 'member VI_1 has priority 255' }],
    },
  ],
});
