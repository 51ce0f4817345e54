import { model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

/** keepalived clears `nopreempt` when the initial state is MASTER or the instance owns the address. */
export const rule: LintRule = {
  meta: {
    id: 'nopreempt-requires-backup',
    description: 'nopreempt only works on an instance that starts as BACKUP; keepalived clears it on a MASTER.',
    defaultSeverity: 'error',
    fixable: true,
  },
  create(context) {
    return {
      blocks: {
        vrrp_instance(instance) {
          const s = model.instanceSettings(instance, context.globals);
          if (!s.nopreempt || !s.nopreemptCleared) return;
          const master = s.configuredState === 'MASTER' && s.state ? s.state : undefined;
          const word = master?.words[0];
          // Without a priority line, state MASTER is what makes the priority 255: state BACKUP fixes both.
          if (s.nopreemptCleared === 'owner' && s.priorityStatement) {
            context.report({
              range: s.nopreempt.range,
              message: 'nopreempt has no effect with priority 255: keepalived clears it for an address owner, which always takes the VIP',
              related: [{ range: s.priorityStatement.range, message: 'priority 255 here' }],
            });
            return;
          }
          context.report({
            range: s.nopreempt.range,
            message: "nopreempt has no effect with 'state MASTER': keepalived clears it, and this node takes the VIP back whenever it returns",
            ...(master ? { related: [{ range: master.range, message: 'initial state MASTER here' }] } : {}),
            fixes: word && !word.frame ? [{ description: "Start as BACKUP: 'state BACKUP'", edits: [{ range: word.range, text: 'BACKUP' }] }] : [],
          });
        },
      },
    };
  },
};
