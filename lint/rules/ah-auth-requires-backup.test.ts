import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './ah-auth-requires-backup.ts';

const auth = (type: string) => `    authentication {\n        auth_type ${type}\n        auth_pass secret\n    }\n`;
const inst = (body: string) =>
  `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n${body}    virtual_ipaddress {\n        10.0.0.1\n    }\n}\n`;

testRule(rule, {
  valid: [
    inst(`    state BACKUP\n    priority 100\n${auth('AH')}`),
    inst(`    state MASTER\n    priority 150\n${auth('PASS')}`),
    // The address owner may start as MASTER (state MASTER without priority is priority 255).
    inst(`    state MASTER\n${auth('AH')}`),
    // VRRPv3 ignores the authentication altogether (auth-with-vrrpv3).
    inst(`    state MASTER\n    priority 150\n    version 3\n${auth('AH')}`),
  ],
  invalid: [
    {
      code: inst(`    state MASTER\n    priority 150\n${auth('AH')}`),
      errors: [{ line: 4, message: "'Initial state master is incompatible with AH authentication - clearing'" }],
      output: inst(`    state BACKUP\n    priority 150\n${auth('AH')}`),
    },
    {
      // A later auth_type wins.
      code: inst(`    state MASTER\n    priority 150\n    authentication {\n        auth_type PASS\n        auth_type AH\n        auth_pass secret\n    }\n`),
      errors: [{ line: 4, message: 'start as BACKUP' }],
    },
  ],
});
