import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './advert-int-not-integer-v2.ts';

const inst = (body: string, head = ''): string =>
  `${head}vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n${body}    virtual_ipaddress {\n        10.0.0.10/24\n    }\n}\n`;

testRule(rule, {
  valid: [
    inst('    advert_int 1\n'),
    inst('    advert_int 2.0\n'),
    inst('    version 3\n    advert_int 0.25\n'),
    // IPv6 instances speak VRRPv3.
    'vrrp_instance VI_6 {\n    interface eth0\n    virtual_router_id 51\n    advert_int 0.5\n    virtual_ipaddress {\n        fd00::10/64\n    }\n}\n',
    inst('    advert_int 0.5\n', 'global_defs {\n    vrrp_version 3\n}\n'),
  ],
  invalid: [
    {
      code: inst('    advert_int 0.5\n'),
      errors: [{ line: 4, message: 'keepalived rounds advert_int 0.5 to 1' }],
      output: inst('    advert_int 1\n'),
    },
    {
      code: inst('    advert_int 2.5\n'),
      errors: [{ line: 4, message: "to 3; for sub-second adverts use 'version 3'" }],
      output: inst('    advert_int 3\n'),
    },
    {
      code: inst('    version 3\n    advert_int 0.015\n'),
      errors: [{ line: 5, message: 'rounds advert_int 0.015 to 0.02' }],
      output: inst('    version 3\n    advert_int 0.02\n'),
    },
    {
      code: inst('    version 3\n    advert_int 60\n'),
      errors: [{ line: 5, message: 'at most 40.95 s' }],
      output: inst('    version 3\n    advert_int 40.95\n'),
    },
    {
      // A value from a definition is reported where it is used, without a fix.
      code: `$INT=1.5\n${inst('    advert_int $INT\n')}`,
      errors: [{ line: 5, message: 'to 2' }],
      output: `$INT=1.5\n${inst('    advert_int $INT\n')}`,
    },
  ],
});
