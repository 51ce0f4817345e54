import { type Block, blocksOf, type Item, itemsOf, lastStatement, model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { where } from '../helpers/source.ts';

/** keepalived removes a vrrp_script that nothing tracks ("Warning - script %s is not used") and never runs it. */
export const rule: LintRule = {
  meta: {
    id: 'unused-vrrp-script',
    description: 'A vrrp_script that no vrrp_instance or vrrp_sync_group tracks is never run.',
    defaultSeverity: 'warning',
  },
  create(context) {
    return {
      configExit(config) {
        const used = new Set<Block>();
        /** Entries keepalived ignores because they come before the script's definition. */
        const early = new Map<string, Item>();
        const holders = [...model.instancesOf(config), ...blocksOf(config, 'vrrp_sync_group').filter((b) => !b.ignored)];
        for (const holder of holders) {
          for (const item of itemsOf(holder, 'track_script')) {
            const name = item.params['script'];
            if (typeof name !== 'string') continue;
            const script = model.trackedObject(config, 'vrrp_script', name, item);
            if (script) used.add(script);
            else if (!early.has(name)) early.set(name, item);
          }
        }
        const firsts = new Map<string, Block>();
        for (const script of blocksOf(config, 'vrrp_script')) {
          // A script without `script` is removed by keepalived with its own error.
          if (script.ignored || !script.name || !lastStatement(script, 'script')) continue;
          const first = firsts.get(script.name);
          if (!first) firsts.set(script.name, script);
          if (used.has(script)) continue;
          const range = script.words[0]?.range ?? script.keyword.range;
          const name = script.name;
          const ref = early.get(name);
          if (first) {
            context.report({
              range,
              message: `vrrp_script ${name} is defined twice: track_script entries find the first one, so keepalived never runs this one ('Warning - script ${name} is not used'); rename or remove it`,
              related: [{ range: first.words[0]?.range ?? first.range, message: `first vrrp_script ${name}` }],
            });
          } else if (ref) {
            context.report({
              range,
              message: `vrrp_script ${name} is only tracked before its definition (${where(ref.range, range)}): keepalived ignores that entry, reports 'Warning - script ${name} is not used' and never runs the script; move the vrrp_script block above the instances`,
              related: [{ range: ref.range, message: `track_script ${name} read before the definition` }],
            });
          } else {
            context.report({
              range,
              message: `vrrp_script ${name} is not tracked by any vrrp_instance or vrrp_sync_group: keepalived reports 'Warning - script ${name} is not used' and never runs it; add it to a track_script block or remove it`,
            });
          }
        }
      },
    };
  },
};

