import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './real-server-port-mismatch.ts';

testRule(rule, {
  valid: [
    'virtual_server 10.0.0.1 80 {\n    lvs_method NAT\n    real_server 10.0.0.2 8080 {\n    }\n}\n',
    'virtual_server 10.0.0.1 80 {\n    lvs_method DR\n    real_server 10.0.0.2 80 {\n    }\n    real_server 10.0.0.3 {\n    }\n}\n',
    'virtual_server fwmark 1 {\n    lvs_method DR\n    real_server 10.0.0.2 {\n    }\n    sorry_server 10.0.0.9\n}\n',
    'virtual_server 10.0.0.1 80 {\n    lvs_method TUN\n    real_server ae00::2 80 {\n    }\n}\n',
    'virtual_server_group WEB {\n    10.0.0.1 80\n    10.0.0.2 80\n}\nvirtual_server group WEB {\n    lvs_method DR\n    real_server 10.0.0.9 80 {\n    }\n}\n',
  ],
  invalid: [
    {
      code: 'virtual_server 10.0.0.1 80 {\n    lvs_method DR\n    real_server 10.0.0.2 8080 {\n    }\n}\n',
      errors: [{ line: 3, message: 'resets it' }],
      output: 'virtual_server 10.0.0.1 80 {\n    lvs_method DR\n    real_server 10.0.0.2 80 {\n    }\n}\n',
    },
    {
      code: 'virtual_server fwmark 1 {\n    lvs_method NAT\n    real_server 10.0.0.2 443 {\n        lvs_method TUN\n    }\n    sorry_server 10.0.0.9 80\n    sorry_server_lvs_method DR\n}\n',
      errors: [{ line: 3, message: 'clears it' }, { line: 6, message: 'sorry_server 10.0.0.9 80 forwards by DR' }],
      output: 'virtual_server fwmark 1 {\n    lvs_method NAT\n    real_server 10.0.0.2 {\n        lvs_method TUN\n    }\n    sorry_server 10.0.0.9\n    sorry_server_lvs_method DR\n}\n',
    },
    {
      code: 'virtual_server_group WEB {\n    10.0.0.1 80\n    fwmark 7\n}\nvirtual_server group WEB {\n    lvs_method DR\n    real_server 10.0.0.9 80 {\n    }\n}\n',
      errors: [{ line: 7, message: 'has fwmark entries' }],
    },
    {
      code: 'virtual_server 10.0.0.1 80 {\n    real_server 10.0.0.2 80 {\n    }\n    real_server ae00::2 80 {\n    }\n}\n',
      errors: [{ line: 4, message: 'is IPv6 but the virtual server is IPv4' }],
    },
    {
      code: 'virtual_server_group V6 {\n    ae00::1 80\n}\nvirtual_server group V6 {\n    real_server 10.0.0.2 80 {\n    }\n}\n',
      errors: [{ line: 4, message: 'ignores the whole virtual server' }],
    },
  ],
});
