import { model } from '../../grammar/index.ts';
import type { RelatedInfo } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { weightRange } from '../helpers/source.ts';

/** What keepalived does with a weighted tracker of an address owner (`vrrp_complete_instance`). */
function dropped(t: model.Tracker): string {
  switch (t.kind) {
    case 'interface':
      return `keepalived stops tracking interface ${t.name} ('ignoring ${t.name} tracked interface due to address owner')`;
    case 'script':
      return `keepalived drops track_script ${t.name} ('ignoring tracked script ${t.name} with weights due to address_owner'), so the script no longer affects the instance`;
    case 'file':
      return t.weight === 1
        ? `keepalived sets the weight of track_file ${t.name} to 0 ('ignoring weight from tracked file ... due to address_owner'), so any non-zero value in the file puts the instance in FAULT`
        : `keepalived drops track_file ${t.name} ('ignoring tracked file ${t.name} with weight ${t.weight} due to address_owner')`;
    case 'bfd':
      return `keepalived drops track_bfd ${t.name} ('ignoring tracked bfd ${t.name} with weight ${t.weight} due to address_owner')`;
  }
}

/** Priority 255 makes the node the address owner, whose priority never changes and which always takes over. */
export const rule: LintRule = {
  meta: {
    id: 'owner-priority',
    description: 'Priority 255 (address owner) ignores tracker weights and makes state BACKUP meaningless.',
    defaultSeverity: 'warning',
  },
  create(context) {
    const { config, globals } = context;
    return {
      blocks: {
        vrrp_instance(instance) {
          const s = model.instanceSettings(instance, globals);
          if (s.priority !== 255) return;
          const prio = s.priorityStatement ?? s.state;
          const where: RelatedInfo[] = prio
            ? [{ range: prio.range, message: s.priorityStatement ? 'priority 255 here' : 'state MASTER without a priority: keepalived uses 255' }]
            : [];
          const own = s.priorityStatement ? 'priority 255' : "priority 255 (keepalived's default with state MASTER)";

          if (s.configuredState === 'BACKUP' && s.state) {
            context.report({
              range: s.state.range,
              message: s.strict
                ? `'state BACKUP' contradicts ${own}: strict mode reports 'State MASTER must match being address owner' and starts the instance as MASTER; give a backup router a priority below 255`
                : `'state BACKUP' does not make an address owner a backup: with ${own} the node preempts every other router and keepalived clears nopreempt, so it takes the VIP whenever it runs; give a backup router a priority below 255`,
              related: where,
            });
          }

          // A sync group without sync_group_tracking_weight overrides weights first (sync-group-weighted-trackers).
          const sync = instance.name ? model.syncGroupsOf(config).groupOf.get(instance.name) : undefined;
          if (sync && !model.keepsTrackingWeights(sync.group)) return;
          for (const t of model.trackersOf(instance, config)) {
            if (t.weight === 0) continue;
            context.report({
              range: weightRange(t.item),
              message: `${t.keyword} ${t.name} has weight ${t.weight}, but the priority of an address owner (${own}) never changes: ${dropped(t)}; use weight 0 to let it force FAULT, or a priority below 255`,
              related: where,
            });
          }
        },
      },
    };
  },
};
