import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './lvs-defaults-implicit.ts';

testRule(rule, {
  valid: [
    'virtual_server 10.0.0.1 80 {\n    lvs_sched rr\n    lvs_method DR\n    real_server 10.0.0.2 80 {\n    }\n}\n',
    'virtual_server fwmark 1 {\n    lb_algo wrr\n    lb_kind TUN\n    real_server 10.0.0.2 {\n    }\n}\n',
    // Every real server sets its own method: keepalived never needs the default.
    'virtual_server 10.0.0.1 80 {\n    lvs_sched rr\n    real_server 10.0.0.2 80 {\n        lvs_method DR\n    }\n}\n',
    // A real server written after the virtual server's lvs_method still gets it.
    'virtual_server 10.0.0.1 80 {\n    lvs_sched rr\n    real_server 10.0.0.2 80 {\n    }\n    lvs_method NAT\n}\n',
  ],
  invalid: [
    {
      code: 'virtual_server 10.0.0.1 80 {\n    lvs_method NAT\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 1, message: "'wlc'" }],
      output: 'virtual_server 10.0.0.1 80 {\n    lvs_sched wlc\n    lvs_method NAT\n    real_server 10.0.0.2 80 {\n    }\n}\n',
    },
    {
      code: 'virtual_server_group WEB {\n    10.0.0.1 80\n}\nvirtual_server group WEB {\n    lvs_sched rr\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 4, message: 'setting default NAT' }],
      output: 'virtual_server_group WEB {\n    10.0.0.1 80\n}\nvirtual_server group WEB {\n    lvs_method NAT\n    lvs_sched rr\n    real_server 10.0.0.2 80 {\n    }\n}\n',
    },
    {
      code: 'virtual_server fwmark 1 {\n  real_server 10.0.0.2 {\n    lvs_method DR\n  }\n  sorry_server 10.0.0.3\n}\n',
      errors: [{ line: 1, message: 'lvs_sched' }, { line: 1, message: 'lvs_method' }],
    },
  ],
});
