import { childrenNamed, itemsOf, lastStatement } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { deleteFix } from '../helpers/source.ts';

/** keepalived removes a track_interface entry naming the instance's own interface. */
export const rule: LintRule = {
  meta: {
    id: 'track-own-interface',
    description: "track_interface lists the instance's own interface, which keepalived already watches.",
    defaultSeverity: 'warning',
    fixable: true,
  },
  create(context) {
    return {
      blocks: {
        vrrp_instance(instance) {
          const own = lastStatement(instance, 'interface');
          const name = own?.params['interface'];
          if (!own || typeof name !== 'string') return;
          const ignoresOwn = childrenNamed(instance, 'dont_track_primary').length > 0;
          for (const item of itemsOf(instance, 'track_interface')) {
            if (item.params['interface'] !== name) continue;
            context.report({
              range: item.words[0]?.range ?? item.range,
              message: ignoresOwn
                ? `track_interface ${name} is the instance's own interface: keepalived drops the entry ('Ignoring track_interface ${name} since own interface'), and with dont_track_primary the state of ${name} is then ignored altogether; remove the entry`
                : `track_interface ${name} is the instance's own interface: keepalived drops the entry ('Ignoring track_interface ${name} since own interface'), as the instance goes to FAULT anyway when ${name} goes down (a weight here never applies); remove the entry`,
              related: [{ range: own.range, message: 'the instance interface' }],
              fixes: deleteFix(item, `Remove ${name} from track_interface`),
            });
          }
        },
      },
    };
  },
};
