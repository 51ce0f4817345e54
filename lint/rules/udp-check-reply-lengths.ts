import { type Block, blocksOf, model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

/** The UDP_CHECK blocks keepalived reads: not those of a discarded virtual or real server. */
const udpChecks = (vs: Block) => (vs.ignored ? [] : blocksOf(vs, 'real_server').filter((rs) => !rs.ignored).flatMap((rs) => blocksOf(rs, 'UDP_CHECK')));

/** UDP_CHECK fails every reply shorter than min_reply_length or longer than max_reply_length (255 by default). */
export const rule: LintRule = {
  meta: {
    id: 'udp-check-reply-lengths',
    description: 'A UDP_CHECK whose min_reply_length exceeds its max_reply_length (255 by default), so every check fails.',
    defaultSeverity: 'error',
  },
  create(context) {
    return {
      blocks: {
        virtual_server(vs) {
          for (const check of udpChecks(vs)) {
            const min = model.lastAccepted(check, 'min_reply_length', 'bytes');
            const max = model.lastAccepted(check, 'max_reply_length', 'bytes');
            const maxValue = typeof max?.value === 'number' ? max.value : 255;
            if (typeof min?.value !== 'number' || min.value <= maxValue) continue;
            context.report({
              range: min.statement.range,
              message: `min_reply_length ${min.value} is more than ${max ? '' : 'the default '}max_reply_length ${maxValue}: no reply can pass, so this checker always fails and keeps the real server down (keepalived: "will always fail"); ${max ? 'fix one of the two' : 'set max_reply_length too'}`,
              ...(max ? { related: [{ range: max.statement.range, message: `max_reply_length ${maxValue}` }] } : {}),
            });
          }
        },
      },
    };
  },
};
