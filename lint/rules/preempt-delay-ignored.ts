import { model } from '../../grammar/index.ts';
import type { Fix, RelatedInfo } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

/** keepalived clears `preempt_delay` on an instance that starts as MASTER, in strict mode and with nopreempt. */
export const rule: LintRule = {
  meta: {
    id: 'preempt-delay-ignored',
    description: 'preempt_delay is cleared with an initial MASTER state, in strict mode, or with nopreempt.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  create(context) {
    return {
      blocks: {
        vrrp_instance(instance) {
          const s = model.instanceSettings(instance, context.globals);
          const delay = s.preemptDelay;
          if (!delay || !s.preemptDelayCleared) return;
          const related: RelatedInfo[] = [];
          const fixes: Fix[] = [];
          let message: string;
          if (s.preemptDelayCleared === 'master') {
            if (s.configuredState === 'MASTER' && s.state) {
              related.push({ range: s.state.range, message: 'initial state MASTER here' });
              const word = s.state.words[0]!;
              // Only when the priority is explicit: without it, state MASTER also means priority 255.
              if (s.priorityStatement && s.priority < 255 && !word.frame) {
                fixes.push({ description: "Start as BACKUP: 'state BACKUP'", edits: [{ range: word.range, text: 'BACKUP' }] });
              }
            } else if (s.priorityStatement) {
              related.push({ range: s.priorityStatement.range, message: 'priority 255 without a state: the instance starts as MASTER' });
            }
            message =
              "preempt_delay has no effect on an instance that starts as MASTER: keepalived logs 'Warning - preempt delay will not work with initial state MASTER - clearing' and this node takes the VIP back at once; use 'state BACKUP' (and a priority below 255) on a node whose take-over should wait";
          } else if (s.preemptDelayCleared === 'strict') {
            if (s.strictRange) related.push({ range: s.strictRange, message: 'strict mode turned on here' });
            message = "preempt_delay is ignored in strict mode: keepalived logs 'preempt_delay is incompatible with strict mode - resetting' and preempts at once; remove it, or turn strict mode off for this instance";
          } else {
            if (s.nopreempt) related.push({ range: s.nopreempt.range, message: 'nopreempt here' });
            message =
              "preempt_delay has no effect with nopreempt: keepalived logs 'preempt_delay is incompatible with nopreempt mode - resetting', as a node that never preempts has nothing to delay; keep one of the two";
          }
          context.report({ range: delay.range, message, related, fixes });
        },
      },
    };
  },
};
