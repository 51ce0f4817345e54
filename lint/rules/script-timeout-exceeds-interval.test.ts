import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './script-timeout-exceeds-interval.ts';

const script = (body: string) => `vrrp_script chk {\n    script "/usr/bin/true"\n${body}}\n`;

testRule(rule, {
  valid: [
    script('    interval 2\n    timeout 2\n    fall 3\n'),
    script('    interval 5\n    timeout 3\n'),
    // Without timeout keepalived uses the interval.
    script('    interval 10\n'),
    // 0 s is read as 1 s.
    script('    timeout 0\n'),
    script('    interval 20\n    fall 3\n'),
  ],
  invalid: [
    { code: script('    interval 2\n    timeout 5\n'), errors: [{ line: 4, message: 'timeout 5 s is longer than interval 2 s' }] },
    // The default interval is 1 s.
    { code: script('    timeout 1.5\n'), errors: [{ line: 3, message: 'the default interval of 1 s' }] },
    { code: script('    interval 30\n    fall 3\n'), errors: [{ line: 4, message: 'about 90 s' }] },
    {
      code: script('    interval 10\n    timeout 15\n    fall 10\n'),
      errors: [
        { line: 4, message: 'timeout 15 s' },
        { line: 5, message: 'about 100 s' },
      ],
    },
  ],
});
