import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './script-not-absolute.ts';

const inst = (line: string): string => `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n${line}    virtual_ipaddress {\n        10.0.0.10/24\n    }\n}\n`;

testRule(rule, {
  valid: [
    'vrrp_script chk {\n    script "/usr/bin/killall -0 nginx"\n}\n',
    // keepalived only checks that the file opens.
    'vrrp_script chk {\n    script "</dev/tcp/127.0.0.1/80"\n}\n',
    inst('    notify_master "/etc/keepalived/notify.sh master"\n'),
    "global_defs {\n    startup_script '/usr/local/bin/start up'\n}\n",
  ],
  invalid: [
    {
      code: 'vrrp_script chk {\n    script "killall -0 nginx"\n}\n',
      errors: [{ line: 2, message: "looks 'killall' up in its own PATH" }],
    },
    {
      code: inst('    notify_master "sudo /etc/keepalived/notify.sh master"\n'),
      errors: [{ line: 4, message: 'sudo is not needed' }],
    },
    {
      code: 'virtual_server 10.0.0.10 80 {\n    protocol TCP\n    real_server 10.0.0.2 80 {\n        MISC_CHECK {\n            misc_path "scripts/check.sh 10.0.0.2"\n        }\n    }\n}\n',
      errors: [{ line: 5, message: 'relative path' }],
    },
    {
      code: 'vrrp_script chk {\n    script "source /etc/profile"\n}\n' + inst('    notify "exit 0"\n'),
      errors: [
        { line: 2, message: "'source' is a shell builtin" },
        { line: 7, message: "'exit' is a shell builtin" },
      ],
    },
  ],
});
