import { model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

/** keepalived starts an instance with AH authentication as BACKUP unless it owns the address. */
export const rule: LintRule = {
  meta: {
    id: 'ah-auth-requires-backup',
    description: 'An instance with AH authentication and state MASTER is started as BACKUP unless its priority is 255.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  create(context) {
    return {
      blocks: {
        vrrp_instance(instance) {
          const auth = model.authenticationOf(instance);
          if (auth?.type !== 'AH' || !auth.pass) return;
          const s = model.instanceSettings(instance, context.globals);
          // Strict mode, VRRPv3 and IPv6 drop AH authentication altogether (auth-with-vrrpv3).
          if (s.strict || s.version === 3 || s.family === 6) return;
          if (s.wantState !== 'MASTER' || s.priority === 255 || !s.state) return;
          const word = s.state.words[0]!;
          context.report({
            range: s.state.range,
            message:
              "AH authentication needs the instance to start as BACKUP: keepalived logs 'Initial state master is incompatible with AH authentication - clearing' and starts it as BACKUP, as it must receive an advert carrying the AH sequence number before taking over; use 'state BACKUP'",
            related: [{ range: auth.typeStatement.range, message: 'AH authentication here' }],
            fixes: word.frame ? [] : [{ description: "Start as BACKUP: 'state BACKUP'", edits: [{ range: word.range, text: 'BACKUP' }] }],
          });
        },
      },
    };
  },
};
