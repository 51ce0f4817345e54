import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './script-shell-syntax.ts';

const inst = (line: string): string => `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n${line}    virtual_ipaddress {\n        10.0.0.10/24\n    }\n}\n`;

testRule(rule, {
  valid: [
    'vrrp_script chk {\n    script "/usr/bin/killall -0 nginx"\n}\n',
    'vrrp_script chk {\n    script "/bin/bash -c \'/usr/bin/pgrep nginx || /bin/systemctl restart nginx\'"\n}\n',
    // Quoted for the program: awk gets one argument.
    'vrrp_script chk {\n    script "/usr/bin/awk \'{ exit $1 > 5 }\' /proc/loadavg"\n}\n',
    'vrrp_script chk {\n    script "</dev/tcp/127.0.0.1/80"\n}\n',
    // Escaped or quoted operators are arguments on purpose.
    'vrrp_script chk {\n    script "/usr/bin/find /run/app -name ok -exec /bin/true {} \\;"\n}\n',
    'vrrp_script chk {\n    script "/usr/local/bin/check --sep \'|\'"\n}\n',
  ],
  invalid: [
    {
      code: 'vrrp_script chk {\n    script "killall -0 nginx || systemctl restart nginx"\n}\n',
      errors: [{ line: 2, message: "'||' reach it as plain arguments" }],
      output: 'vrrp_script chk {\n    script "/bin/sh -c \'killall -0 nginx || systemctl restart nginx\'"\n}\n',
    },
    {
      code: inst('    notify_master "/etc/keepalived/notify.sh master >> /var/log/ka.log 2>&1"\n'),
      errors: [{ line: 4, message: "'>>', '2>&1'" }],
      output: inst('    notify_master "/bin/sh -c \'/etc/keepalived/notify.sh master >> /var/log/ka.log 2>&1\'"\n'),
    },
    {
      code: 'vrrp_script chk {\n    script "/usr/bin/ps aux | /usr/bin/grep -v grep | /usr/bin/grep nginx"\n}\n',
      errors: [{ line: 2, message: "runs '/usr/bin/ps' directly" }],
    },
    {
      // notify appends arguments that sh -c would not pass on: no fix.
      code: inst('    notify "/etc/keepalived/state.sh; /usr/bin/logger changed"\n'),
      errors: [{ line: 4 }],
      output: inst('    notify "/etc/keepalived/state.sh; /usr/bin/logger changed"\n'),
    },
  ],
});
