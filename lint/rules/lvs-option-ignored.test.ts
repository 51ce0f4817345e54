import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './lvs-option-ignored.ts';

testRule(rule, {
  valid: [
    'virtual_server 10.0.0.1 80 {\n    protocol TCP\n    ha_suspend\n    real_server 10.0.0.2 80 {\n    }\n}\n',
    'virtual_server 10.0.0.1 53 {\n    protocol UDP\n    ops\n    real_server 10.0.0.2 53 {\n    }\n}\n',
    // ops without protocol: keepalived makes the service UDP, so ops stays.
    'virtual_server fwmark 1 {\n    ops\n    real_server 10.0.0.2 {\n    }\n}\n',
    'virtual_server 10.0.0.1 80 {\n    sorry_server 10.0.0.9 80\n    sorry_server_inhibit\n    sorry_server_lvs_method DR\n    ip_family inet\n    real_server 10.0.0.2 80 {\n    }\n}\n',
  ],
  invalid: [
    {
      code: 'virtual_server fwmark 1 {\n    ha_suspend\n    real_server 10.0.0.2 {\n    }\n}\n',
      errors: [{ line: 2, message: 'ha_suspend' }],
      output: 'virtual_server fwmark 1 {\n    real_server 10.0.0.2 {\n    }\n}\n',
    },
    {
      code: 'virtual_server_group WEB {\n    10.0.0.1 80\n    fwmark 2\n}\nvirtual_server group WEB {\n    protocol TCP\n    ops\n    ha_suspend\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 8, message: 'fwmarks' }, { line: 7, message: 'this service is TCP' }],
    },
    {
      code: 'virtual_server 10.0.0.1 80 {\n    sorry_server_inhibit\n    sorry_server 10.0.0.9 80\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 2, message: 'move it below sorry_server' }],
    },
    {
      code: 'virtual_server 10.0.0.1 80 {\n    sorry_server_lvs_method DR\n    ip_family inet6\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 2, message: 'none in this virtual server' }, { line: 3, message: 'ip_family inet6' }],
    },
  ],
});
