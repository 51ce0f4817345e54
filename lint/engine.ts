/**
 * Runs lint rules over a configuration read by the grammar layer, merges
 * their diagnostics with the reader's, applies severities from the user's
 * configuration and `# kalint-disable` comments.
 */
import { type Block, compareDiagnostics, type Config, type Diagnostic, LATEST_VERSION, model, type Node, type ReadResult, type Severity, type Version } from '../grammar/index.ts';
import { disabledBy } from './disable.ts';
import type { LintRule, RuleContext } from './rule.ts';

export type SeveritySetting = Severity | 'off';

export interface LintOptions {
  rules: readonly LintRule[];
  /** Severity per rule id (reader and lint rules alike); absent rules keep their default. */
  severities?: Readonly<Record<string, SeveritySetting>>;
  targetVersion?: Version;
}

/** Visits blocks depth first, skipping those keepalived discards (a bad header) with their contents. */
function walk(nodes: readonly Node[], visit: (block: Block) => void): void {
  for (const n of nodes) {
    if (n.type !== 'Block' || n.ignored) continue;
    visit(n);
    walk(n.children, visit);
  }
}

/** Diagnostics of the rules alone, with their default severities. */
export function runRules(config: Config, rules: readonly LintRule[], targetVersion: Version = LATEST_VERSION): Diagnostic[] {
  const out: Diagnostic[] = [];
  const globals = new model.GlobalDefs(config);
  const visitors = rules.map((rule) => {
    const context: RuleContext = {
      config,
      globals,
      targetVersion,
      report(r) {
        const d: Diagnostic = { ruleId: rule.meta.id, severity: r.severity ?? rule.meta.defaultSeverity, message: r.message, range: r.range };
        if (r.related?.length) d.related = r.related;
        if (r.fixes?.length) d.fixes = r.fixes;
        out.push(d);
      },
    };
    return rule.create(context);
  });
  for (const v of visitors) v.config?.(config);
  walk(config.children, (block) => {
    for (const v of visitors) v.blocks?.[block.blockId]?.(block);
  });
  for (const v of visitors) v.configExit?.(config);
  return out;
}

/** Applies the configured severities (dropping rules set to `off`) and the disable comments of the files read. */
export function applySettings(diagnostics: readonly Diagnostic[], config: Config | undefined, severities: LintOptions['severities'] = {}): Diagnostic[] {
  const disabled = config ? disabledBy(config.files) : () => false;
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const setting = severities[d.ruleId];
    if (setting === 'off' || disabled(d)) continue;
    out.push(setting && setting !== d.severity ? { ...d, severity: setting } : d);
  }
  return out.sort(compareDiagnostics);
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
  // Only a rule diagnostic that is shown (not off, not disabled) supersedes the reader's.
  const fromRules = applySettings(runRules(result.config, options.rules, options.targetVersion), result.config, options.severities);
  const fromReader = applySettings(unsuperseded(result.diagnostics, fromRules, options.rules), result.config, options.severities);
  return [...fromReader, ...fromRules].sort(compareDiagnostics);
}
