import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './nopreempt-requires-backup.ts';

testRule(rule, {
  valid: [
    'vrrp_instance VI_1 {\n    state BACKUP\n    virtual_router_id 51\n    priority 150\n    nopreempt\n}\n',
    'vrrp_instance VI_1 {\n    virtual_router_id 51\n    priority 150\n    nopreempt\n}\n',
    'vrrp_instance VI_1 {\n    state MASTER\n    virtual_router_id 51\n    nopreempt\n    preempt\n}\n',
    'vrrp_instance VI_1 {\n    state MASTER\n    virtual_router_id 51\n    priority 150\n}\n',
  ],
  invalid: [
    {
      code: 'vrrp_instance VI_1 {\n    state MASTER\n    virtual_router_id 51\n    priority 150\n    nopreempt\n}\n',
      errors: [{ line: 5, message: "'state MASTER'" }],
      output: 'vrrp_instance VI_1 {\n    state BACKUP\n    virtual_router_id 51\n    priority 150\n    nopreempt\n}\n',
    },
    {
      code: 'vrrp_instance VI_1 {\n    virtual_router_id 51\n    priority 255\n    nopreempt\n}\n',
      errors: [{ line: 4, message: 'priority 255' }],
    },
  ],
});
