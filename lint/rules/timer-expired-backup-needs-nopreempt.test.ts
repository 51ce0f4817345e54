import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './timer-expired-backup-needs-nopreempt.ts';

const inst = (body: string) =>
  `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n${body}    virtual_ipaddress {\n        10.0.0.1\n    }\n}\n`;

testRule(rule, {
  valid: [
    inst('    state BACKUP\n    priority 100\n    nopreempt\n    timer_expired_backup\n'),
    inst('    nopreempt\n    timer_expired_backup 200\n'),
    // The old spelling, with nopreempt.
    inst('    nopreempt\n    thread_timer_expired\n'),
    inst('    priority 100\n'),
  ],
  invalid: [
    { code: inst('    timer_expired_backup\n'), errors: [{ line: 4, message: "'expired_timer_backup requires nopreempt - resetting'" }] },
    // A later preempt cancels nopreempt.
    { code: inst('    nopreempt\n    preempt\n    timer_expired_backup 200\n'), errors: [{ line: 6, message: 'without nopreempt' }] },
    { code: inst('    thread_timer_expired\n'), errors: [{ line: 4, message: 'thread_timer_expired does nothing' }] },
    // nopreempt is cleared for an instance starting as MASTER.
    { code: inst('    state MASTER\n    priority 150\n    nopreempt\n    timer_expired_backup\n'), errors: [{ line: 7, message: 'starts as MASTER' }] },
    { code: inst('    priority 255\n    nopreempt\n    timer_expired_backup\n'), errors: [{ line: 6, message: 'priority 255' }] },
  ],
});
