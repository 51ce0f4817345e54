import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './auth-with-vrrpv3.ts';

const AUTH = '    authentication {\n        auth_type PASS\n        auth_pass secret\n    }\n';
const instance = (body: string, vip = '10.0.0.1') =>
  `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n${body}    virtual_ipaddress {\n        ${vip}\n    }\n}\n`;

testRule(rule, {
  valid: [
    instance(AUTH),
    instance("    version 3\n"),
    // The instance's own version wins over the global one.
    `global_defs {\n    vrrp_version 3\n}\n${instance(`    version 2\n${AUTH}`)}`,
    // strict_mode false overrides vrrp_strict.
    `global_defs {\n    vrrp_strict\n}\n${instance(`    strict_mode false\n${AUTH}`)}`,
    // A later conflicting version is ignored: the instance stays at 2.
    instance(`    version 2\n    version 3\n${AUTH}`),
    // No auth_type: keepalived never turns authentication on.
    instance('    authentication {\n    }\n    version 3\n'),
  ],
  invalid: [
    { code: instance(`    version 3\n${AUTH}`), errors: [{ line: 5, message: "'version 3'" }] },
    { code: `global_defs {\n    vrrp_version 3\n}\n${instance(AUTH)}`, errors: [{ line: 7, message: "global_defs sets 'vrrp_version 3'" }] },
    { code: instance(AUTH, 'fe80::10'), errors: [{ line: 4, message: 'IPv6' }] },
    { code: `global_defs {\n    vrrp_strict\n}\n${instance(AUTH)}`, errors: [{ line: 7, message: 'strict mode' }] },
    { code: instance(`    strict_mode\n    version 3\n${AUTH}`), errors: [{ line: 6, message: 'Strict mode does not support authentication' }] },
  ],
});
