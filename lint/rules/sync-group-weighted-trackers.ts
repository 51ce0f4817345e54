import { model } from '../../grammar/index.ts';
import type { Block, Range } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { weightRange } from '../helpers/source.ts';

/** What keepalived does with a member's weighted tracker in a sync group without sync_group_tracking_weight. */
function overridden(t: model.Tracker): string {
  switch (t.kind) {
    case 'interface':
      return `keepalived sets its weight to 0 ('ignoring ${t.name} tracked interface weight due to SYNC group'), so ${t.name} going down puts the instance, and with it the group, in FAULT`;
    case 'script':
      return `keepalived drops the entry ('ignoring tracked script ${t.name} with weights due to SYNC group'), so the script no longer affects the instance`;
    case 'file':
      return t.weight === 1
        ? `keepalived sets its weight to 0 ('ignoring weight from tracked file ${t.name} due to SYNC group. specify weight 0'), so any non-zero value in the file puts the group in FAULT`
        : `keepalived drops the entry ('ignoring tracked file ${t.name} with weight ${t.weight} due to SYNC group')`;
    case 'bfd':
      return `keepalived drops the entry ('ignoring tracked bfd ${t.name} with weight ${t.weight} due to SYNC group')`;
  }
}

const nameRange = (b: Block): Range => b.words[0]?.range ?? b.keyword.range;

/** Sync groups override their members' tracker weights, and need two or more members of their own. */
export const rule: LintRule = {
  meta: {
    id: 'sync-group-weighted-trackers',
    description: 'Weighted trackers that a vrrp_sync_group overrides, and sync groups with one member or shared members.',
    defaultSeverity: 'warning',
  },
  create(context) {
    const { globals } = context;
    return {
      configExit(config) {
        const sync = model.syncGroupsOf(config);
        for (const { entry, first } of sync.repeated) {
          const same = entry.group === first.group;
          context.report({
            range: entry.word.range,
            message: `${entry.word.text} is ${same ? 'listed twice in' : 'already a member of'} vrrp_sync_group ${first.group.name}: keepalived ignores this entry ('Virtual router ${entry.word.text} cannot exist in more than one sync group; ignoring ${entry.group.name}'); an instance belongs to one sync group, remove the entry`,
            related: [{ range: first.word.range, message: `${entry.word.text} joins ${first.group.name} here` }],
          });
        }
        for (const [group, members] of sync.members) {
          const here = [{ range: nameRange(group), message: `vrrp_sync_group ${group.name}` }];
          if (members.length === 1) {
            context.report({
              range: nameRange(group),
              message: `vrrp_sync_group ${group.name} has only one member (${members[0]!.name}): keepalived warns 'Sync group ${group.name} has only 1 virtual router(s) - this probably isn't what you want'; a sync group makes two or more instances change state together, add the others or remove the group`,
            });
          }
          const owner = members.find((m) => model.instanceSettings(m, globals).priority === 255);
          if (owner) {
            for (const t of model.trackersOf(group, config)) {
              if (t.weight === 0) continue;
              context.report({
                range: weightRange(t.item),
                message: `${t.keyword} ${t.name} has weight ${t.weight}, but member ${owner.name} has priority 255: keepalived sets the weight to 0 ('Cannot have weighted track ... with member having priority 255'), so a failure puts the whole group in FAULT; use weight 0, or priorities below 255`,
              });
            }
          }
          if (model.keepsTrackingWeights(group)) continue;
          for (const member of members) {
            for (const t of model.trackersOf(member, config)) {
              if (t.weight === 0) continue;
              context.report({
                range: weightRange(t.item),
                message: `${t.keyword} ${t.name} of ${member.name} has weight ${t.weight}, but ${member.name} is in vrrp_sync_group ${group.name}: ${overridden(t)}; add sync_group_tracking_weight to the group to keep the weights, or use weight 0`,
                related: here,
              });
            }
          }
        }
      },
    };
  },
};
