import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './lvs-tunnel-options.ts';

testRule(rule, {
  valid: [
    'virtual_server 10.0.0.1 80 {\n    lvs_method TUN type gue port 6080 csum\n    real_server 10.0.0.2 80 {\n    }\n}\n',
    'virtual_server fwmark 1 {\n    lvs_method TUN\n    real_server 10.0.0.2 {\n        lvs_method TUN type gre csum\n    }\n}\n',
    'virtual_server 10.0.0.1 80 {\n    lvs_method DR\n    real_server 10.0.0.2 80 {\n        lvs_method TUN type ipip nocsum\n    }\n}\n',
  ],
  invalid: [
    {
      code: 'virtual_server 10.0.0.1 80 {\n    lvs_method TUN type gue\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 2, message: "needs 'port N'" }],
    },
    {
      code: 'virtual_server fwmark 1 {\n    real_server 10.0.0.2 {\n        lvs_method TUN port 6080\n    }\n}\n',
      errors: [{ line: 3, message: 'not ipip' }],
    },
    {
      code: 'virtual_server_group WEB {\n    10.0.0.1 80\n}\nvirtual_server group WEB {\n    lb_kind TUN type ipip csum\n    sorry_server 10.0.0.9 80\n    sorry_server_lvs_method TUN type gre remcsum\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 5, message: 'ipip' }, { line: 7, message: 'remcsum' }],
    },
  ],
});
