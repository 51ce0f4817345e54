import { model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { describe, headerRange } from '../helpers/source.ts';

/** `validate_check_config`: a non-persistent address service without a port is made persistent for 360 s. */
export const rule: LintRule = {
  meta: {
    id: 'persistence-without-port',
    description: 'A virtual server address without a port (or port 0) and without persistence: keepalived turns on 360 s persistence.',
    defaultSeverity: 'warning',
  },
  create(context) {
    const consequence =
      'keepalived logs "zero port only valid for persistent services - setting" and makes the service persistent for 360 s, so each client sticks to one real server';
    return {
      blocks: {
        virtual_server(vs) {
          const service = model.serviceOf(vs, context.config);
          if (!service || service.persistent) return;
          if (service.kind === 'address' && !service.port) {
            context.report({
              range: headerRange(vs),
              message: `${describe(vs)} has no port and no persistence: ${consequence}; give it a port, or set persistence_timeout if you want every port`,
            });
          } else if (service.kind === 'group') {
            const entry = service.entries.find((e) => typeof e.params['address'] === 'string' && !e.params['port']);
            if (!entry) return;
            context.report({
              range: entry.range,
              message: `'${entry.words[0]!.text}' in virtual_server_group ${service.group!.params['name']} has no port, and ${describe(vs)} sets no persistence: ${consequence}; give the entry a port, or set persistence_timeout`,
              related: [{ range: headerRange(vs), message: `${describe(vs)} serves this group` }],
            });
          }
        },
      },
    };
  },
};
