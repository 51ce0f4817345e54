import { model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { familyName } from '../helpers/ip.ts';
import { describe, headerRange } from '../helpers/source.ts';

/**
 * keepalived ignores a virtual server left without real servers. The reader
 * already reports a block with no real_server at all (missing-argument); this
 * rule covers the ones whose real servers keepalived all throws away.
 */
export const rule: LintRule = {
  meta: {
    id: 'virtual-server-no-real-servers',
    description: 'A virtual server whose real servers keepalived all discards (bad address, address family), so it ignores the service.',
    defaultSeverity: 'error',
  },
  create(context) {
    return {
      blocks: {
        virtual_server(vs) {
          const service = model.serviceOf(vs, context.config);
          if (!service || service.realServers.length || (!service.discarded.length && !service.familyDropped.length)) return;
          const fam = service.family ? familyName(service.family) : '';
          context.report({
            range: headerRange(vs),
            message: `keepalived keeps none of the real servers of ${describe(vs)}, so it ignores the whole service ("has no real servers - ignoring"); fix the real server addresses`,
            related: [
              ...service.discarded.map((b) => ({ range: headerRange(b), message: `${describe(b)}: keepalived discards it (bad address or port)` })),
              ...service.familyDropped.map((r) => ({ range: headerRange(r.node), message: `${describe(r.node)}: not ${fam} like the service, keepalived drops it` })),
            ],
          });
        },
      },
    };
  },
};
