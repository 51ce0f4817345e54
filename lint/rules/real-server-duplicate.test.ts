import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './real-server-duplicate.ts';

testRule(rule, {
  valid: [
    'virtual_server 10.0.0.1 80 {\n    protocol TCP\n    real_server 10.0.0.2 80 {\n    }\n    real_server 10.0.0.3 80 {\n    }\n}\n',
    'virtual_server 10.0.0.1 80 {\n    protocol TCP\n    lvs_method NAT\n    real_server 10.0.0.2 80 {\n    }\n    real_server 10.0.0.2 8080 {\n    }\n}\n',
    'virtual_server fwmark 1 {\n    lvs_method NAT\n    real_server 10.0.0.2 {\n    }\n    real_server 10.0.0.2 80 {\n    }\n}\n',
    'virtual_server 10.0.0.1 80 {\n    real_server 10.0.0.2 80 {\n    }\n}\nvirtual_server 10.0.0.1 443 {\n    real_server 10.0.0.2 80 {\n    }\n}\n',
  ],
  invalid: [
    {
      code: 'virtual_server 10.0.0.1 80 {\n    protocol TCP\n    real_server 10.0.0.2 80 {\n    }\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 5, message: 'removes this second one' }],
    },
    {
      code: 'virtual_server_group WEB {\n    ae00::1 80\n}\nvirtual_server group WEB {\n    real_server ae00::2 80 {\n    }\n    real_server ae00:0::2 80 {\n    }\n}\n',
      errors: [{ line: 7, message: 'real_server [ae00:0::2]:80 is already' }],
    },
    {
      code: 'virtual_server 10.0.0.1 80 {\n    lvs_method NAT\n    real_server 10.0.0.2 {\n    }\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 5, message: 'same IPVS destination 10.0.0.2:80' }],
    },
    {
      code: 'virtual_server 10.0.0.1 80 {\n    lvs_method DR\n    real_server 10.0.0.2 80 {\n    }\n    real_server 10.0.0.2 8080 {\n    }\n}\n',
      errors: [{ line: 5, message: 'same IPVS destination' }],
    },
  ],
});
