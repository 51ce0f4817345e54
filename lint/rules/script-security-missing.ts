import { type Block, blocksOf, model } from '../../grammar/index.ts';
import type { LintRule } from '../rule.ts';
import { isFileCheck, type ScriptStatement, scriptVisitors } from '../helpers/scripts.ts';
import { headerRange } from '../helpers/source.ts';

/** keepalived's script checks (`check_vrrp_script_security`, `check_data.c`, `main.c`) end in a SECURITY error without enable_script_security. */
export const rule: LintRule = {
  meta: {
    id: 'script-security-missing',
    description: 'Scripts are configured but global_defs lacks enable_script_security, which keepalived reports as a security violation.',
    defaultSeverity: 'warning',
  },
  create(context) {
    const scripts: ScriptStatement[] = [];
    return {
      statements: scriptVisitors((s) => scripts.push(s)),
      configExit(config) {
        if (context.globals.has('enable_script_security')) return;
        // keepalived frees the vrrp_scripts nothing tracks before it checks them.
        const tracked = new Set<Block>();
        for (const holder of [...model.instancesOf(config), ...blocksOf(config, 'vrrp_sync_group')]) {
          for (const t of model.trackersOf(holder, config)) if (t.kind === 'script' && t.object) tracked.add(t.object);
        }
        const checked = scripts.filter(
          (s) =>
            s.statement.def.name !== 'startup_script' && // run once, never checked
            !isFileCheck(s.command.text) &&
            (s.parent?.blockId !== 'vrrp_script' || tracked.has(s.parent)),
        );
        const first = checked[0];
        if (!first) return;
        const globalDefs = context.globals.blocks[0];
        context.report({
          range: first.statement.range,
          message:
            'scripts are configured but global_defs has no enable_script_security: keepalived logs "SECURITY VIOLATION - scripts are being executed but script_security not enabled" ' +
            'and keepalived -t exits with status 6; add enable_script_security, and a script_user that exists (default keepalived_script)',
          related: [
            ...(globalDefs ? [{ range: headerRange(globalDefs), message: 'add enable_script_security here' }] : []),
            ...checked.slice(1).map((s) => ({ range: s.statement.range, message: `${s.statement.def.name} script here` })),
          ],
        });
      },
    };
  },
};
