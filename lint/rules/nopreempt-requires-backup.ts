import { lastStatement, model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

/** keepalived clears `nopreempt` when the initial state is MASTER (or the instance owns the address). */
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
          const nopreempt = lastStatement(instance, 'nopreempt');
          if (!nopreempt || model.preempts(instance)) return;
          const state = lastStatement(instance, 'state');
          if (state?.params['state'] === 'MASTER') {
            const word = state.words[0]!;
            context.report({
              range: nopreempt.range,
              message: "nopreempt has no effect with 'state MASTER': keepalived clears it, and this node takes the VIP back whenever it returns",
              related: [{ range: state.range, message: 'initial state MASTER here' }],
              fixes: word.frame ? [] : [{ description: "Start as BACKUP: 'state BACKUP'", edits: [{ range: word.range, text: 'BACKUP' }] }],
            });
          } else if (model.basePriority(instance) === 255) {
            context.report({
              range: nopreempt.range,
              message: 'nopreempt has no effect with priority 255: keepalived clears it for an address owner, which always takes the VIP',
            });
          }
        },
      },
    };
  },
};
