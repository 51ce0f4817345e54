import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './notify-redirect-outside-quotes.ts';

const inst = (line: string): string => `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n${line}    virtual_ipaddress {\n        10.0.0.10/24\n    }\n}\n`;

testRule(rule, {
  valid: [
    inst('    notify_master "/etc/keepalived/notify.sh master"\n'),
    // A real user and group.
    inst('    notify_master /etc/keepalived/notify.sh keepalived_script :keepalived\n'),
    inst('    notify_backup "/bin/sh -c \'/etc/keepalived/notify.sh backup > /tmp/ka.log 2>&1\'" root\n'),
    'vrrp_script chk {\n    script "/usr/bin/pgrep -x nginx"\n}\n',
  ],
  invalid: [
    {
      code: inst('    notify_master "/etc/keepalived/notify.sh master" > /tmp/ka.log\n'),
      errors: [{ line: 4, message: "takes '>' as the user and '/tmp/ka.log' as the group" }],
      output: inst('    notify_master "/bin/sh -c \'/etc/keepalived/notify.sh master > /tmp/ka.log\'"\n'),
    },
    {
      code: inst('    notify_master /etc/keepalived/notify.sh master\n'),
      errors: [{ line: 4, message: "reads 'master' as the user" }],
      output: inst('    notify_master "/etc/keepalived/notify.sh master"\n'),
    },
    {
      code: inst('    notify_master /etc/keepalived/notify.sh MASTER > /tmp/ka.log\n'),
      errors: [{ line: 4, message: "takes 'MASTER' as the user and '>' as the group" }],
      output: inst('    notify_master "/bin/sh -c \'/etc/keepalived/notify.sh MASTER > /tmp/ka.log\'"\n'),
    },
    {
      // vrrp_script takes no user: the words are ignored; the fix keeps the redirection.
      code: 'vrrp_script chk {\n    script "/usr/bin/pgrep -x nginx" >/dev/null\n}\n',
      errors: [{ line: 2, message: 'ignores every word after the command' }],
      output: 'vrrp_script chk {\n    script "/bin/sh -c \'/usr/bin/pgrep -x nginx >/dev/null\'"\n}\n',
    },
    {
      // notify gets arguments appended, which /bin/sh -c would not pass on: no fix.
      code: inst('    notify "/etc/keepalived/state.sh" | logger\n'),
      errors: [{ line: 4, message: "'|' never takes effect" }],
      output: inst('    notify "/etc/keepalived/state.sh" | logger\n'),
    },
    {
      code: inst('    notify_stop /etc/keepalived/stop.sh root root >> /var/log/ka.log\n'),
      errors: [{ line: 4, message: "as the group to run it as, and ignores the rest, so '>>' never takes effect" }],
      // root root may be the user and group, or arguments: no fix.
      output: inst('    notify_stop /etc/keepalived/stop.sh root root >> /var/log/ka.log\n'),
    },
    {
      // The group is an argument, the user may be real: no fix.
      code: inst('    notify_fault /etc/keepalived/notify.sh root FAULT\n'),
      errors: [{ line: 4, message: "reads 'FAULT' as the group" }],
      output: inst('    notify_fault /etc/keepalived/notify.sh root FAULT\n'),
    },
  ],
});
