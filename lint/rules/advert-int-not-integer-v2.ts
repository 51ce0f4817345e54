import { lastStatement, model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

const US = 1_000_000;

/** What keepalived's `vrrp_complete_instance` makes of an interval in microseconds: whole seconds (v2) or centiseconds below 40.96 s (v3). */
function effective(us: number, version: 2 | 3): number {
  if (version === 2) return Math.max(1, Math.floor((us + US / 2) / US)) * US;
  if (us >= 4096 * 10_000) return 4095 * 10_000;
  const cs = Math.floor((us + 5_000) / 10_000);
  return Math.min(4095, Math.max(1, cs)) * 10_000;
}

const seconds = (us: number): string => String(us / US);

/** keepalived rounds the advert interval to what the VRRP version can carry. */
export const rule: LintRule = {
  meta: {
    id: 'advert-int-not-integer-v2',
    description: 'VRRPv2 carries the advert interval in whole seconds and VRRPv3 in centiseconds below 40.96 s; keepalived rounds other values.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  create(context) {
    return {
      blocks: {
        vrrp_instance(instance) {
          const statement = lastStatement(instance, 'advert_int');
          const value = statement?.params['seconds'];
          if (!statement || typeof value !== 'number') return;
          const us = Math.round(value * US);
          const version = model.instanceSettings(instance, context.globals).version;
          const used = effective(us, version);
          if (used === us) return;
          const word = statement.words[0]!;
          const why =
            version === 2
              ? `VRRPv2 adverts carry whole seconds: keepalived rounds advert_int ${word.text} to ${seconds(used)}; for sub-second adverts use 'version 3' (on every node)`
              : us >= 4096 * 10_000
                ? `VRRPv3 adverts carry at most 40.95 s: keepalived sets advert_int ${word.text} to 40.95`
                : `VRRPv3 adverts carry hundredths of a second: keepalived rounds advert_int ${word.text} to ${seconds(used)}`;
          context.report({
            range: word.range,
            message: why,
            fixes: word.frame ? [] : [{ description: `Write the interval keepalived uses: ${seconds(used)}`, edits: [{ range: word.range, text: seconds(used) }] }],
          });
        },
      },
    };
  },
};
