import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './udp-check-reply-lengths.ts';

const check = (body: string) => `virtual_server 10.0.0.1 53 {\n    real_server 10.0.0.2 53 {\n        UDP_CHECK {\n${body}        }\n    }\n}\n`;

testRule(rule, {
  valid: [
    check('            min_reply_length 4\n            max_reply_length 512\n'),
    check('            min_reply_length 255\n'),
    check('            require_reply\n'),
  ],
  invalid: [
    {
      code: check('            min_reply_length 64\n            max_reply_length 32\n'),
      errors: [{ line: 4, message: 'min_reply_length 64 is more than max_reply_length 32' }],
    },
    {
      code: check('            min_reply_length 300\n'),
      errors: [{ line: 4, message: 'the default max_reply_length 255' }],
    },
    {
      code: `virtual_server fwmark 5 {\n    real_server 10.0.0.2 {\n        UDP_CHECK {\n            connect_port 53\n            max_reply_length 8\n            min_reply_length 9\n        }\n    }\n}\n`,
      errors: [{ line: 6 }],
    },
  ],
});
