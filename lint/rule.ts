/**
 * The shape of a lint rule, after ESLint's: metadata, and `create(context)`
 * returning visitors: `blocks` maps a schema block id (`vrrp_instance`,
 * `virtual_server`, `HTTP_GET.url` ...) to a function called for every block
 * of that kind, depth first; `statements` does the same for statements by
 * keyword; `config` and `configExit` see the whole file.
 */
import type { Block, Config, Fix, model, Range, RelatedInfo, RuleMeta, Severity, Statement, Version } from '../grammar/index.ts';

export interface LintRuleMeta extends RuleMeta {
  /** Whether the rule offers fixes that `kalint check --fix` may apply. */
  fixable?: boolean;
  /** Reader rules whose diagnostic at the same place this rule's explains better; the reader's is then dropped. */
  supersedes?: readonly string[];
}

export interface Report {
  range: Range;
  message: string;
  severity?: Severity;
  related?: RelatedInfo[];
  fixes?: Fix[];
}

export interface RuleContext {
  config: Config;
  globals: model.GlobalDefs;
  targetVersion: Version;
  report(report: Report): void;
}

export interface Visitors {
  config?(config: Config): void;
  blocks?: Record<string, (block: Block) => void>;
  /** By keyword (aliases under the name they stand for): called for every such statement, with its block. */
  statements?: Record<string, (statement: Statement, parent: Block | undefined) => void>;
  configExit?(config: Config): void;
}

export interface LintRule {
  meta: LintRuleMeta;
  create(context: RuleContext): Visitors;
}
