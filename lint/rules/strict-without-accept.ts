import { type Block, childrenNamed, compareVersions, ipOf, lastStatement, model, type RelatedInfo, valueOf } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { headerRange } from '../helpers/source.ts';

/** The last of accept / no_accept, which is the one keepalived keeps. */
function acceptMode(instance: Block) {
  return instance.children.filter((n) => n.def.name === 'accept' || n.def.name === 'no_accept').pop();
}

/** keepalived's `vrrp_complete_instance` under `vrrp_strict` / `strict_mode`: accept mode, unicast peers, initial state. */
export const rule: LintRule = {
  meta: {
    id: 'strict-without-accept',
    description: 'Strict mode turns accept mode off below priority 255 (the VIPs drop traffic), forbids unicast peers and overrides state MASTER.',
    defaultSeverity: 'warning',
  },
  create(context) {
    return {
      blocks: {
        vrrp_instance(instance) {
          const settings = model.instanceSettings(instance, context.globals);
          if (!settings.strict) return;
          const related: RelatedInfo[] = settings.strictRange ? [{ range: settings.strictRange, message: 'strict mode set here' }] : [];
          const own = lastStatement(instance, 'strict_mode');
          const name = instance.name ?? '';
          const at = own?.range ?? headerRange(instance);

          const accept = acceptMode(instance);
          const v2 = settings.version === 2;
          if (settings.priority < 255) {
            if (!accept && !v2) {
              context.report({
                range: at,
                related,
                message: `In strict mode keepalived turns accept mode off for ${name} (priority below 255) and its firewall drops packets addressed to the VIPs: clients cannot reach them on this node; add 'accept', or drop strict mode`,
              });
            } else if (!accept || (accept.def.name === 'accept' && v2)) {
              context.report({
                range: accept?.range ?? at,
                related,
                message:
                  (accept ? "keepalived resets 'accept' (\"accept mode for VRRP version 2 does not comply with RFC3768\")" : `In strict mode keepalived turns accept mode off for ${name} (priority below 255)`) +
                  ' and its firewall drops packets addressed to the VIPs: clients cannot reach them on this node. VRRPv2 allows no accept mode in strict mode; use \'version 3\' with \'accept\', or drop strict mode',
              });
            }
          }

          // keepalived checks this only for an instance on a (multicast-capable) interface.
          const peers = childrenNamed(instance, 'unicast_peer').filter((l) => l.type === 'List' && l.items.some((i) => ipOf(i)?.family === settings.family));
          if (peers[0] && valueOf(instance, 'interface') !== undefined) {
            // Before 2.4.0 the check ran before keepalived marked the instance unicast, so it never fired.
            const fatal = compareVersions(context.targetVersion, '2.4.0') >= 0;
            context.report({
              range: peers[0].keyword.range,
              severity: fatal ? 'error' : 'warning',
              related,
              message: fatal
                ? `keepalived rejects ${name} with "Unicast peers are not supported in strict mode" (on any multicast-capable interface) and the VRRP process does not start; drop strict mode or the unicast peers`
                : `keepalived ${context.targetVersion} accepts unicast peers in strict mode, but 2.4.0 and later reject the instance ("Unicast peers are not supported in strict mode") and the VRRP process does not start; drop strict mode or the unicast peers`,
            });
          }

          // state BACKUP at priority 255 is owner-priority's; authentication in strict mode is auth-with-vrrpv3's.
          if (settings.strictStateOverride && settings.configuredState === 'MASTER') {
            context.report({
              range: settings.state!.range,
              related,
              message: `keepalived ignores 'state MASTER' of ${name} in strict mode ("State MASTER must match being address owner"): below priority 255 the instance starts as BACKUP; remove the state line`,
            });
          }
        },
      },
    };
  },
};
