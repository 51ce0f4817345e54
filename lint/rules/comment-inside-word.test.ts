import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './comment-inside-word.ts';

const auth = (pass: string) => `vrrp_instance VI_1 {\n    authentication {\n        auth_type PASS\n        auth_pass ${pass}\n    }\n}\n`;

testRule(rule, {
  valid: [
    auth('secret12'),
    auth('secret12 # a comment'),
    auth('"pa#ss!12"'),
    'vrrp_instance VI_1 {\n    priority 100\n}\n# vrrp_instance commented#out {\n! priority 100!\n',
    // Lines a false @id condition removes are not read.
    'vrrp_instance VI_1 {\n    @lb9 priority 100#x\n}\n',
  ],
  invalid: [
    { code: auth('pa#ss!12'), errors: [{ line: 4, message: "keepalived reads 'pa' and takes '#ss!12' as a comment" }] },
    { code: 'vrrp_instance VI_1 {\n    priority 100!high\n    virtual_ipaddress {\n        10.0.0.1/24#vip\n    }\n}\n', errors: [{ line: 2 }, { line: 4 }] },
    { code: 'vrrp_script chk {\n    script "/usr/bin/check"#x\n}\n', errors: [{ line: 2, message: "takes '#x' as a comment" }] },
  ],
});
