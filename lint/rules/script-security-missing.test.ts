import { testRule } from '../../test/helpers/rule-tester.ts';
import { rule } from './script-security-missing.ts';

const inst = (body: string): string => `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n${body}    virtual_ipaddress {\n        10.0.0.10/24\n    }\n}\n`;

testRule(rule, {
  valid: [
    inst(''),
    'global_defs {\n    enable_script_security\n    script_user keepalived_script\n}\n' + inst('    notify_master "/etc/keepalived/notify.sh master"\n'),
    // keepalived drops a vrrp_script nothing tracks, and only opens a </path.
    'vrrp_script unused {\n    script "/usr/local/bin/check.sh"\n}\nvrrp_script port {\n    script "</dev/tcp/127.0.0.1/80"\n}\n' + inst('    track_script {\n        port\n    }\n'),
    // The start-up script is not checked.
    'global_defs {\n    startup_script /usr/local/bin/prepare.sh\n}\n',
  ],
  invalid: [
    {
      code: 'global_defs {\n    router_id LB1\n}\n' + inst('    notify_master "/etc/keepalived/notify.sh master"\n    notify_backup "/etc/keepalived/notify.sh backup"\n'),
      errors: [{ line: 7, message: 'SECURITY VIOLATION' }],
    },
    {
      code: 'vrrp_script chk {\n    script "/usr/bin/killall -0 nginx"\n}\n' + inst('    track_script {\n        chk\n    }\n'),
      errors: [{ line: 2, message: 'enable_script_security' }],
    },
    {
      code: 'virtual_server 10.0.0.10 80 {\n    protocol TCP\n    real_server 10.0.0.2 80 {\n        notify_down /usr/local/bin/rs-down.sh\n    }\n}\n',
      errors: [{ line: 4, message: 'script_user' }],
    },
    {
      // script_user alone does not help: keepalived checks every script it can find.
      code: 'global_defs {\n    script_user nobody\n}\n' + inst('    notify "/usr/local/bin/state.sh"\n'),
      errors: [{ line: 7 }],
    },
  ],
});
