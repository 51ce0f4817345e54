import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './preempt-delay-ignored.ts';

const inst = (body: string) =>
  `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n${body}    virtual_ipaddress {\n        10.0.0.1\n    }\n}\n`;

testRule(rule, {
  valid: [
    inst('    state BACKUP\n    priority 150\n    preempt_delay 30\n'),
    // No state, priority below 255: the instance starts as BACKUP.
    inst('    priority 150\n    preempt_delay 30\n'),
    // A later preempt cancels nopreempt.
    inst('    nopreempt\n    preempt\n    preempt_delay 30\n'),
    // preempt_delay 0 sets nothing.
    inst('    state MASTER\n    priority 150\n    preempt_delay 0\n'),
    // An owner that starts as BACKUP keeps its delay.
    inst('    state BACKUP\n    priority 255\n    preempt_delay 30\n'),
  ],
  invalid: [
    {
      code: inst('    state MASTER\n    priority 150\n    preempt_delay 30\n'),
      errors: [{ line: 6, message: "'Warning - preempt delay will not work with initial state MASTER - clearing'" }],
      output: inst('    state BACKUP\n    priority 150\n    preempt_delay 30\n'),
    },
    {
      // state MASTER without priority is an address owner: no fix, changing the state would change the priority.
      code: inst('    state MASTER\n    preempt_delay 30\n'),
      errors: [{ line: 5, message: 'starts as MASTER' }],
      output: inst('    state MASTER\n    preempt_delay 30\n'),
    },
    // Priority 255 without a state starts as MASTER.
    { code: inst('    priority 255\n    preempt_delay 30\n'), errors: [{ line: 5, message: 'starts as MASTER' }] },
    { code: `global_defs {\n    vrrp_strict\n}\n${inst('    preempt_delay 30\n')}`, errors: [{ line: 7, message: "'preempt_delay is incompatible with strict mode - resetting'" }] },
    { code: inst('    state BACKUP\n    nopreempt\n    preempt_delay 30\n'), errors: [{ line: 6, message: "'preempt_delay is incompatible with nopreempt mode - resetting'" }] },
  ],
});
