import { type Block, lastStatement, type Statement } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

/** Above this many seconds of consecutive failures before keepalived reacts, failover is probably slower than meant. */
const SLOW_FAILOVER = 60;

/** A vrrp_script duration as keepalived keeps it: 0 becomes 1, an invalid value leaves the default. */
function seconds(script: Block, keyword: string): { statement?: Statement; value?: number } {
  const statement = lastStatement(script, keyword);
  const v = statement?.params['seconds'];
  if (!statement || typeof v !== 'number' || v < 0 || v > 4294) return {};
  return { statement, value: v === 0 ? 1 : v };
}

const fmt = (s: number): string => `${Number(s.toFixed(3))} s`;

/** The checks of a vrrp_script overlap or react too slowly to move the VIP in time. */
export const rule: LintRule = {
  meta: {
    id: 'script-timeout-exceeds-interval',
    description: "A vrrp_script's timeout is longer than its interval, or its fall count delays failover beyond a minute.",
    defaultSeverity: 'warning',
  },
  create(context) {
    return {
      blocks: {
        vrrp_script(script) {
          const interval = seconds(script, 'interval');
          const timeout = seconds(script, 'timeout');
          const every = interval.value ?? 1;
          const intervalText = interval.statement ? `interval ${fmt(every)}` : 'the default interval of 1 s';
          if (timeout.statement && timeout.value !== undefined && timeout.value > every) {
            context.report({
              range: timeout.statement.words[0]?.range ?? timeout.statement.range,
              message: `timeout ${fmt(timeout.value)} is longer than ${intervalText}: keepalived starts a run every interval but kills a hung one only after the timeout, skipping the runs due meanwhile ('Track script ${script.name} is already running, expect idle - skipping run'), so a hung check counts as one failure only after ${fmt(timeout.value)}; keep the timeout at or below the interval`,
              related: interval.statement ? [{ range: interval.statement.range, message: 'interval set here' }] : [],
            });
          }
          const fall = lastStatement(script, 'fall');
          const count = fall?.params['count'];
          if (fall && typeof count === 'number' && Number.isInteger(count) && count >= 1 && count * every > SLOW_FAILOVER) {
            context.report({
              range: fall.words[0]?.range ?? fall.range,
              message: `fall ${count} with ${intervalText}: keepalived acts on a failing check only after ${count} failures in a row, about ${fmt(count * every)}, and the VIP stays on a broken node that long; lower fall or the interval`,
              related: interval.statement ? [{ range: interval.statement.range, message: 'interval set here' }] : [],
            });
          }
        },
      },
    };
  },
};
