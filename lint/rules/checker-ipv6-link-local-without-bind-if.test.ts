import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './checker-ipv6-link-local-without-bind-if.ts';

const rs = (address: string, body: string) => `virtual_server ae00::1 80 {\n    real_server ${address} 80 {\n${body}    }\n}\n`;

testRule(rule, {
  valid: [
    rs('fe80::10', '        TCP_CHECK {\n            bind_if eth0\n        }\n'),
    rs('ae00::10', '        TCP_CHECK {\n        }\n        MISC_CHECK {\n            misc_path /bin/true\n        }\n'),
    rs('fe80::10', '        HTTP_GET {\n            connect_ip ae00::10\n            url {\n                path /\n            }\n        }\n'),
    rs('fe80::10', '        MISC_CHECK {\n            misc_path /bin/true\n        }\n'),
  ],
  invalid: [
    {
      code: rs('fe80::10', '        TCP_CHECK {\n            connect_timeout 3\n        }\n'),
      errors: [{ line: 3, message: 'fe80::10' }],
    },
    {
      code: rs('ae00::10', '        PING_CHECK {\n            connect_ip FE80::1\n        }\n'),
      errors: [{ line: 4, message: 'FE80::1' }],
    },
    {
      code: rs('fe80::10', '        SMTP_CHECK {\n            host {\n                connect_ip fe80::2\n            }\n            host {\n                connect_ip fe80::3\n                bind_if eth1\n            }\n        }\n'),
      errors: [{ line: 5 }],
    },
    {
      code: 'virtual_server fwmark 1 {\n    real_server fe80::10 {\n        DNS_CHECK {\n        }\n    }\n}\n',
      errors: [{ line: 3, message: 'DNS_CHECK' }],
    },
  ],
});
