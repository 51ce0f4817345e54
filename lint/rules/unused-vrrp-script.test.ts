import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './unused-vrrp-script.ts';

const script = (name: string) => `vrrp_script ${name} {\n    script "/usr/bin/true"\n}\n`;
const inst = (track: string) =>
  `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n${track}    virtual_ipaddress {\n        10.0.0.1\n    }\n}\n`;
const tracks = (name: string) => `    track_script {\n        ${name}\n    }\n`;

testRule(rule, {
  valid: [
    script('chk') + inst(tracks('chk')),
    // Tracked by a sync group.
    `${script('chk')}${inst('')}vrrp_sync_group G {\n    group {\n        VI_1\n    }\n    track_script {\n        chk\n    }\n}\n`,
    // A block without `script` is removed by keepalived with an error of its own.
    'vrrp_script chk {\n    interval 2\n}\n',
    // Through an include, in read order.
    { code: `include scripts.conf\n${inst(tracks('chk'))}`, files: { '/etc/keepalived/scripts.conf': script('chk') } },
  ],
  invalid: [
    { code: script('chk') + inst(''), errors: [{ line: 1, message: "'Warning - script chk is not used'" }] },
    { code: script('chk') + script('chk_db') + inst(tracks('chk')), errors: [{ line: 4, message: 'vrrp_script chk_db is not tracked' }] },
    // Tracked only before its definition: keepalived does not find it then.
    { code: inst(tracks('chk')) + script('chk'), errors: [{ line: 11, message: 'only tracked before its definition (line 5)' }] },
    { code: script('chk') + script('chk') + inst(tracks('chk')), errors: [{ line: 4, message: 'defined twice' }] },
  ],
});
