import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './sorry-server-in-pool.ts';

testRule(rule, {
  valid: [
    'virtual_server 10.0.0.1 80 {\n    real_server 10.0.0.2 80 {\n    }\n    sorry_server 10.0.0.9 80\n}\n',
    'virtual_server 10.0.0.1 80 {\n    real_server 10.0.0.2 80 {\n    }\n    sorry_server 10.0.0.2 8080\n}\n',
    'virtual_server fwmark 3 {\n    real_server 10.0.0.2 {\n    }\n    sorry_server 10.0.0.3\n}\n',
    // Below a quorum of 2 the whole load falls back to one pool member: a deliberate design.
    'virtual_server 10.0.0.1 80 {\n    quorum 2\n    real_server 10.0.0.2 80 {\n    }\n    real_server 10.0.0.3 80 {\n    }\n    sorry_server 10.0.0.3 80\n}\n',
  ],
  invalid: [
    {
      code: 'virtual_server 10.0.0.1 80 {\n    real_server 10.0.0.2 80 {\n    }\n    real_server 10.0.0.3 80 {\n    }\n    sorry_server 10.0.0.3 80\n}\n',
      errors: [{ line: 6, message: 'sorry_server 10.0.0.3:80 is also a real server' }],
    },
    {
      code: 'virtual_server 10.0.0.1 80 {\n    quorum 4\n    hysteresis 1\n    real_server 10.0.0.2 80 {\n        weight 3\n    }\n    real_server 10.0.0.3 80 {\n        weight 3\n    }\n    sorry_server 10.0.0.3 80\n}\n',
      errors: [{ line: 10, message: 'its weight (3) keeps the quorum' }],
    },
    {
      code: 'virtual_server 10.0.0.1 80 {\n    lvs_method NAT\n    sorry_server 10.0.0.2\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 3 }],
    },
    {
      code: 'virtual_server_group WEB {\n    fwmark 4\n}\nvirtual_server group WEB {\n    real_server 10.0.0.2 {\n    }\n    sorry_server 10.0.0.2\n}\n',
      errors: [{ line: 7 }],
    },
  ],
});
