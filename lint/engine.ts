/**
 * Runs lint rules over a configuration read by the grammar layer, merges
 * their diagnostics with the reader's, applies severities from the user's
 * configuration and `# kalint-disable` comments.
 */
import { type Block, compareDiagnostics, type Config, type Diagnostic, LATEST_VERSION, model, type Node, type ReadResult, type Severity, type Statement, type Version } from '../grammar/index.ts';
import { disabledBy } from './disable.ts';
import type { LintRule, LintRuleMeta, Report, RuleContext, Visitors } from './rule.ts';

export type SeveritySetting = Severity | 'off';

/** Milliseconds spent in each rule (its create() and visitors), by rule id. */
export type RuleTimes = Map<string, number>;

export interface LintOptions {
  rules: readonly LintRule[];
  /** When given, the time each rule takes is added to it. */
  timing?: RuleTimes;
  /** Severity per rule id (reader and lint rules alike); absent rules keep their default. */
  severities?: Readonly<Record<string, SeveritySetting>>;
  targetVersion?: Version;
}

/** Visits statements and blocks depth first, skipping the blocks keepalived discards (a bad header) with their contents. */
function walk(nodes: readonly Node[], parent: Block | undefined, visitBlock: (block: Block) => void, visitStatement: (statement: Statement, parent: Block | undefined) => void): void {
  for (const n of nodes) {
    if (n.type === 'Statement') {
      visitStatement(n, parent);
    } else if (n.type === 'Block' && !n.ignored) {
      visitBlock(n);
      walk(n.children, n, visitBlock, visitStatement);
    }
  }
}

/** The functions of all rules for each key (block id or keyword), in rule order. */
function byKey<F>(tables: readonly (Record<string, F> | undefined)[]): Map<string, F[]> {
  const out = new Map<string, F[]>();
  for (const table of tables) {
    for (const [key, f] of Object.entries(table ?? {})) {
      const list = out.get(key);
      if (list) list.push(f);
      else out.set(key, [f]);
    }
  }
  return out;
}

/** `visitors` with each function's time added to `times` under `id`. */
function timed(visitors: Visitors, id: string, times: RuleTimes): Visitors {
  const clock = <A extends unknown[]>(f: (...args: A) => void) => (...args: A) => {
    const start = performance.now();
    try {
      f(...args);
    } finally {
      times.set(id, (times.get(id) ?? 0) + performance.now() - start);
    }
  };
  const out: Visitors = {};
  if (visitors.config) out.config = clock(visitors.config);
  if (visitors.configExit) out.configExit = clock(visitors.configExit);
  if (visitors.blocks) out.blocks = Object.fromEntries(Object.entries(visitors.blocks).map(([blockId, f]) => [blockId, clock(f)]));
  if (visitors.statements) out.statements = Object.fromEntries(Object.entries(visitors.statements).map(([keyword, f]) => [keyword, clock(f)]));
  return out;
}

/** The diagnostic a rule's report becomes, with the rule's default severity unless the report sets one. */
export function toDiagnostic(meta: LintRuleMeta, r: Report): Diagnostic {
  const d: Diagnostic = { ruleId: meta.id, severity: r.severity ?? meta.defaultSeverity, message: r.message, range: r.range };
  if (r.related?.length) d.related = r.related;
  if (r.fixes?.length) d.fixes = r.fixes;
  return d;
}

/** Diagnostics of the rules alone, with their default severities. */
export function runRules(config: Config, rules: readonly LintRule[], targetVersion: Version = LATEST_VERSION, timing?: RuleTimes): Diagnostic[] {
  const out: Diagnostic[] = [];
  const globals = new model.GlobalDefs(config);
  const visitors = rules.map((rule) => {
    const context: RuleContext = {
      config,
      globals,
      targetVersion,
      report: (r) => out.push(toDiagnostic(rule.meta, r)),
    };
    if (!timing) return rule.create(context);
    const start = performance.now();
    const visitors = rule.create(context);
    timing.set(rule.meta.id, (timing.get(rule.meta.id) ?? 0) + performance.now() - start);
    return timed(visitors, rule.meta.id, timing);
  });
  // Most rules look at one or two kinds of block or statement of the hundreds there are.
  const blockVisitors = byKey(visitors.map((v) => v.blocks));
  const statementVisitors = byKey(visitors.map((v) => v.statements));
  for (const v of visitors) v.config?.(config);
  walk(
    config.children,
    undefined,
    (block) => {
      const fs = blockVisitors.get(block.blockId);
      if (fs) for (const f of fs) f(block);
    },
    statementVisitors.size
      ? (statement, parent) => {
          const fs = statementVisitors.get(statement.def.aliasOf ?? statement.def.name);
          if (fs) for (const f of fs) f(statement, parent);
        }
      : () => {},
  );
  for (const v of visitors) v.configExit?.(config);
  return out;
}

/** What is shown of a diagnostic under the configured severities and the disable comments of the files read: nothing, or it with its severity. */
function settings(config: Config | undefined, severities: LintOptions['severities'] = {}): (d: Diagnostic) => Diagnostic[] {
  const disabled = config ? disabledBy(config.files) : () => false;
  return (d) => {
    const setting = severities[d.ruleId];
    if (setting === 'off' || disabled(d)) return [];
    return [setting && setting !== d.severity ? { ...d, severity: setting } : d];
  };
}

/** Applies the configured severities (dropping rules set to `off`) and the disable comments of the files read. */
export function applySettings(diagnostics: readonly Diagnostic[], config: Config | undefined, severities: LintOptions['severities'] = {}): Diagnostic[] {
  return diagnostics.flatMap(settings(config, severities)).sort(compareDiagnostics);
}

/** The reader's diagnostics, less those a rule's diagnostic at the same place supersedes. */
function unsuperseded(reader: readonly Diagnostic[], fromRules: readonly Diagnostic[], rules: readonly LintRule[]): Diagnostic[] {
  const superseding = new Map(rules.filter((r) => r.meta.supersedes?.length).map((r) => [r.meta.id, r.meta.supersedes!]));
  if (!superseding.size) return [...reader];
  const place = (d: Diagnostic, ruleId: string) => `${ruleId}\0${d.range.file.path}\0${d.range.start}`;
  const dropped = new Set(fromRules.flatMap((d) => (superseding.get(d.ruleId) ?? []).map((id) => place(d, id))));
  return reader.filter((d) => !dropped.has(place(d, d.ruleId)));
}

/** The reader's diagnostics and the rules', with the user's settings applied. */
export function lint(result: ReadResult, options: LintOptions): Diagnostic[] {
  const shown = settings(result.config, options.severities);
  // Only a rule diagnostic that is shown (not off, not disabled) supersedes the reader's.
  const fromRules = runRules(result.config, options.rules, options.targetVersion, options.timing).flatMap(shown);
  const fromReader = unsuperseded(result.diagnostics, fromRules, options.rules).flatMap(shown);
  return [...fromReader, ...fromRules].sort(compareDiagnostics);
}
