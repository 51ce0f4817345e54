import { childrenNamed, model, type RelatedInfo, type Statement } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

const validPriority = (s: Statement): boolean => {
  const p = s.params['priority'];
  return s.words.length === 0 || (typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 254);
};

/** keepalived resets `timer_expired_backup` unless the instance keeps `nopreempt`. */
export const rule: LintRule = {
  meta: {
    id: 'timer-expired-backup-needs-nopreempt',
    description: 'timer_expired_backup is ignored unless the instance runs with nopreempt.',
    defaultSeverity: 'warning',
  },
  create(context) {
    return {
      blocks: {
        vrrp_instance(instance) {
          // thread_timer_expired is its old name; an invalid priority leaves the line without effect.
          const timer = childrenNamed(instance, 'timer_expired_backup')
            .filter((n): n is Statement => n.type === 'Statement' && validPriority(n))
            .pop();
          if (!timer) return;
          const s = model.instanceSettings(instance, context.globals);
          if (model.keepsNopreempt(s)) return;
          const related: RelatedInfo[] = [];
          let why = 'without nopreempt';
          if (s.nopreempt && s.nopreemptCleared) {
            why = s.nopreemptCleared === 'owner' ? 'because keepalived clears nopreempt at priority 255' : 'because keepalived clears nopreempt on an instance that starts as MASTER';
            related.push({ range: s.nopreempt.range, message: 'nopreempt, cleared' });
          }
          context.report({
            range: timer.range,
            message: `${timer.keyword.text} does nothing ${why}: keepalived logs 'expired_timer_backup requires nopreempt - resetting'; it only serves a non-preempting BACKUP (nopreempt, 'state BACKUP', priority below 255)`,
            related,
          });
        },
      },
    };
  },
};
