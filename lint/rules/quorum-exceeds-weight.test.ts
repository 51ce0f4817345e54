import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './quorum-exceeds-weight.ts';

const pool = (weights: string) =>
  weights
    .split(' ')
    .map((w, i) => `    real_server 10.0.0.${i + 2} 80 {\n        weight ${w}\n    }\n`)
    .join('');

testRule(rule, {
  valid: [
    `virtual_server 10.0.0.1 80 {\n    quorum 3\n    hysteresis 1\n${pool('1 1 1')}}\n`,
    `virtual_server 10.0.0.1 80 {\n${pool('0 0')}}\n`,
    `virtual_server fwmark 1 {\n    weight 5\n    quorum 8\n    real_server 10.0.0.2 {\n    }\n    real_server 10.0.0.3 {\n    }\n}\n`,
  ],
  invalid: [
    {
      code: `virtual_server 10.0.0.1 80 {\n    quorum 4\n${pool('1 2')}}\n`,
      errors: [{ line: 2, message: 'lowers it to 3' }],
    },
    {
      // The duplicate real server is removed before keepalived sums the weights.
      code: `virtual_server_group WEB {\n    10.0.0.1 80\n}\nvirtual_server group WEB {\n    quorum 4\n${pool('2 1')}    real_server 10.0.0.2 80 {\n        weight 5\n    }\n}\n`,
      errors: [{ line: 5, message: 'total weight of the real servers (3)' }],
    },
    {
      code: `virtual_server 10.0.0.1 80 {\n    quorum 2\n    hysteresis 2\n${pool('1 1')}}\n`,
      errors: [{ line: 3, message: 'sets it to 1' }],
    },
    {
      code: `virtual_server 10.0.0.1 80 {\n    quorum 5\n    hysteresis 3\n${pool('1 1')}}\n`,
      errors: [{ line: 2 }, { line: 3, message: 'not below the quorum (2)' }],
    },
  ],
});
