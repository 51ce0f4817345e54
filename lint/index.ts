/** The lint layer's public API. */
import { readerRules, type RuleMeta } from '../grammar/index.ts';
import { clusterRules } from './cluster-rules/index.ts';
import { lintRules } from './rules/index.ts';

export { applySettings, lint, type LintOptions, type RuleTimes, runRules, type SeveritySetting } from './engine.ts';
export { CONFIG_FILE, configSchema, type ConfigProblem, findConfig, hostInterfaces, type KalintConfig, loadConfig } from './config.ts';
export { applyFixes } from './fix.ts';
export type { LintRule, LintRuleMeta, Report, RuleContext, Visitors } from './rule.ts';
export { type ClusterNode, type ClusterRule, lintCluster, nodeLabel, priorityTable, virtualRouters } from './cluster.ts';
export { clusterRules, lintRules };

/** Metadata of every rule, the reader's, the linter's and the cluster checks', by id. */
export function allRuleMetas(): (RuleMeta & { fixable?: boolean; source: 'reader' | 'lint' | 'cluster' })[] {
  return [
    ...Object.values(readerRules).map((r) => ({ ...r, source: 'reader' as const })),
    ...lintRules.map((r) => ({ ...r.meta, source: 'lint' as const })),
    ...clusterRules.map((r) => ({ ...r.meta, source: 'cluster' as const })),
  ].sort((a, b) => a.id.localeCompare(b.id));
}
