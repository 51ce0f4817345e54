import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './persistence-without-port.ts';

testRule(rule, {
  valid: [
    'virtual_server 10.0.0.1 80 {\n    real_server 10.0.0.2 80 {\n    }\n}\n',
    'virtual_server 10.0.0.1 {\n    persistence_timeout 600\n    real_server 10.0.0.2 {\n    }\n}\n',
    'virtual_server 10.0.0.1 0 {\n    persistence_granularity 255.255.255.0\n    real_server 10.0.0.2 {\n    }\n}\n',
    'virtual_server fwmark 1 {\n    real_server 10.0.0.2 {\n    }\n}\n',
    'virtual_server_group WEB {\n    10.0.0.1 80\n    10.0.0.2-5 443\n    fwmark 3\n}\nvirtual_server group WEB {\n    real_server 10.0.0.9 {\n    }\n}\n',
  ],
  invalid: [
    {
      code: 'virtual_server 10.0.0.1 {\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 1, message: 'persistent for 360 s' }],
    },
    {
      code: 'virtual_server 10.0.0.1 0 {\n    persistence_timeout 0\n    real_server 10.0.0.2 {\n    }\n}\n',
      errors: [{ line: 1 }],
    },
    {
      code: 'virtual_server_group WEB {\n    10.0.0.1 80\n    10.0.0.2-5\n}\nvirtual_server group WEB {\n    real_server 10.0.0.9 {\n    }\n}\n',
      errors: [{ line: 3, message: "'10.0.0.2-5' in virtual_server_group WEB" }],
    },
  ],
});
