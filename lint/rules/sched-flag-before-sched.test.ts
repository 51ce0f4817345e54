import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './sched-flag-before-sched.ts';

testRule(rule, {
  valid: [
    'virtual_server 10.0.0.1 80 {\n    lvs_sched sh\n    sh-port\n    sh-fallback\n    real_server 10.0.0.2 80 {\n    }\n}\n',
    'virtual_server fwmark 1 {\n    lb_algo mh\n    mh-fallback\n    real_server 10.0.0.2 {\n    }\n}\n',
    'virtual_server 10.0.0.1 80 {\n    lvs_sched rr\n    flag-1\n    real_server 10.0.0.2 80 {\n    }\n}\n',
  ],
  invalid: [
    {
      code: 'virtual_server 10.0.0.1 80 {\n    sh-port   # hash ports too\n    lvs_sched sh\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 2, message: "comes before 'lvs_sched sh'" }],
      output: 'virtual_server 10.0.0.1 80 {\n    lvs_sched sh\n    sh-port   # hash ports too\n    real_server 10.0.0.2 80 {\n    }\n}\n',
    },
    {
      code: 'virtual_server_group WEB {\n    10.0.0.1 80\n}\nvirtual_server group WEB {\n    lvs_sched rr\n    mh-port\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 6, message: 'the scheduler at this point is rr' }],
      output: 'virtual_server_group WEB {\n    10.0.0.1 80\n}\nvirtual_server group WEB {\n    lvs_sched rr\n    real_server 10.0.0.2 80 {\n    }\n}\n',
    },
    {
      code: 'virtual_server fwmark 1 {\n    lvs_sched sh\n    mh-port\n    real_server 10.0.0.2 {\n    }\n}\n',
      errors: [{ line: 3, message: 'without a word' }],
    },
    {
      code: 'virtual_server 10.0.0.1 80 {\n    lvs_sched sh\n    sh-fallback\n    lvs_sched rr\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 3, message: 'later lvs_sched makes the scheduler rr' }],
    },
  ],
});
