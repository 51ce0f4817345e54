import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './virtual-server-protocol-missing.ts';

testRule(rule, {
  valid: [
    'virtual_server 10.0.0.1 80 {\n    protocol TCP\n    real_server 10.0.0.2 80 {\n    }\n}\n',
    'virtual_server 10.0.0.1 53 {\n    protocol udp\n    real_server 10.0.0.2 53 {\n    }\n}\n',
    'virtual_server fwmark 1 {\n    real_server 10.0.0.2 {\n    }\n}\n',
    'virtual_server_group MARKS {\n    fwmark 1\n    fwmark 2\n}\nvirtual_server group MARKS {\n    real_server 10.0.0.2 {\n    }\n}\n',
  ],
  invalid: [
    {
      code: 'virtual_server 10.0.0.1 80 {\n    lvs_sched rr\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 1, message: 'defaulting to UDP' }],
    },
    {
      code: 'virtual_server_group WEB {\n    10.0.0.1 80\n    fwmark 1\n}\nvirtual_server group WEB {\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 5, message: 'virtual_server_group WEB' }],
    },
    {
      code: 'virtual_server fwmark 1 {\n    protocol TCP\n    real_server 10.0.0.2 {\n    }\n}\n',
      errors: [{ line: 2, message: 'firewall-mark' }],
      output: 'virtual_server fwmark 1 {\n    real_server 10.0.0.2 {\n    }\n}\n',
    },
    {
      code: 'virtual_server_group MARKS {\n    fwmark 1\n}\nvirtual_server group MARKS {\n    protocol UDP   # ignored\n    real_server 10.0.0.2 {\n    }\n}\n',
      errors: [{ line: 5 }],
      output: 'virtual_server_group MARKS {\n    fwmark 1\n}\nvirtual_server group MARKS {\n    real_server 10.0.0.2 {\n    }\n}\n',
    },
  ],
});
