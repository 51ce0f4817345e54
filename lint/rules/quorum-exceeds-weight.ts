import { model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';

/** `validate_check_config` lowers a quorum above the real servers' total weight, then a hysteresis not below the quorum. */
export const rule: LintRule = {
  meta: {
    id: 'quorum-exceeds-weight',
    description: 'A quorum above the total weight of the real servers, or a hysteresis not below the quorum: keepalived lowers them.',
    defaultSeverity: 'warning',
  },
  create(context) {
    return {
      blocks: {
        virtual_server(vs) {
          const service = model.serviceOf(vs, context.config);
          if (!service?.realServers.length) return;
          const { total, quorum, hysteresis, effectiveQuorum } = model.quorumOf(service);
          if (quorum && quorum.value > total) {
            context.report({
              range: quorum.statement.range,
              message: `quorum ${quorum.value} is more than the total weight of the real servers (${total}): the quorum could never be reached, so keepalived lowers it to ${total} ("exceeds total weight of real servers"); lower the quorum or raise the weights`,
            });
          }
          if (hysteresis && effectiveQuorum > 0 && hysteresis.value >= effectiveQuorum) {
            context.report({
              range: hysteresis.statement.range,
              message: `hysteresis ${hysteresis.value} is not below the quorum (${effectiveQuorum}): keepalived sets it to ${effectiveQuorum - 1}; keep hysteresis below quorum`,
              ...(quorum ? { related: [{ range: quorum.statement.range, message: `quorum ${quorum.value}` }] } : {}),
            });
          }
        },
      },
    };
  },
};
