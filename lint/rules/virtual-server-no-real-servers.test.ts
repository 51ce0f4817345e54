import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './virtual-server-no-real-servers.ts';

testRule(rule, {
  valid: [
    'virtual_server 10.0.0.1 80 {\n    real_server 10.0.0.2 80 {\n    }\n}\n',
    // No real_server at all: the reader reports it (missing-argument).
    'virtual_server 10.0.0.1 80 {\n    protocol TCP\n}\n',
    'virtual_server 10.0.0.1 80 {\n    real_server 10.0.0.300 80 {\n    }\n    real_server 10.0.0.3 80 {\n    }\n}\n',
    'virtual_server 10.0.0.1 80 {\n    lvs_method TUN\n    real_server ae00::2 80 {\n    }\n}\n',
  ],
  invalid: [
    {
      code: 'virtual_server 10.0.0.1 80 {\n    real_server 10.0.0.300 80 {\n    }\n}\n',
      errors: [{ line: 1, message: 'keeps none of the real servers' }],
    },
    {
      code: 'virtual_server 10.0.0.1 80 {\n    lvs_method NAT\n    real_server ae00::2 80 {\n    }\n}\n',
      errors: [{ line: 1 }],
    },
    {
      code: 'virtual_server fwmark 2 {\n    ip_family inet6\n    real_server 10.0.0.2 {\n    }\n}\n',
      errors: [{ line: 1 }],
    },
  ],
});
