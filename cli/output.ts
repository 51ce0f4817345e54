/**
 * Printing diagnostics: `stylish` for people (one line per problem, colours
 * on a terminal), `json` for tools, `sarif` for code scanning, `github` for
 * workflow annotations.
 */
import { type Diagnostic, type FlatDiagnostic, flatten, positionAt, type SourceFile } from '../grammar/index.ts';

export type Format = 'stylish' | 'json' | 'sarif' | 'github';
export const FORMATS: readonly Format[] = ['stylish', 'json', 'sarif', 'github'];

/** How to name a file for the user. */
export type NameFile = (file: SourceFile) => string;

const COLOURS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', reset: '\x1b[0m' } as const;

/** `file:line:col  severity  message  rule-id`, related locations indented below. */
export function formatStylish(diagnostics: readonly Diagnostic[], name: NameFile, colour: boolean): string {
  const paint = (c: keyof typeof COLOURS, s: string) => (colour ? `${COLOURS[c]}${s}${COLOURS.reset}` : s);
  const lines: string[] = [];
  for (const d of diagnostics) {
    const f = flatten(d, name);
    lines.push(`${f.file}:${f.line}:${f.column}  ${paint(f.severity, f.severity)}  ${f.message}  ${paint('dim', f.ruleId)}`);
    for (const r of d.related ?? []) {
      const p = positionAt(r.range.file, r.range.start);
      lines.push(paint('dim', `    ${name(r.range.file)}:${p.line}:${p.column}  note: ${r.message}`));
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

export function formatJson(diagnostics: readonly Diagnostic[], name: NameFile): string {
  return JSON.stringify(
    diagnostics.map((d) => flatten(d, name)),
    null,
    2,
  ) + '\n';
}

export interface RuleInfo {
  id: string;
  description: string;
  defaultSeverity: 'error' | 'warning' | 'info';
}

const sarifLevel = (s: FlatDiagnostic['severity']) => (s === 'info' ? 'note' : s);

/** SARIF 2.1.0, one run, with every rule that reported and its description. */
export function formatSarif(diagnostics: readonly Diagnostic[], name: NameFile, rules: readonly RuleInfo[], version: string): string {
  const used = [...new Set(diagnostics.map((d) => d.ruleId))].sort();
  const index = new Map(used.map((id, i) => [id, i]));
  const byId = new Map(rules.map((r) => [r.id, r]));
  const region = (file: SourceFile, start: number, end: number) => {
    const a = positionAt(file, start);
    const b = positionAt(file, end);
    return { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column };
  };
  const location = (file: SourceFile, start: number, end: number) => ({
    physicalLocation: { artifactLocation: { uri: encodeURI(name(file)) }, region: region(file, start, end) },
  });
  const log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'kalint',
            version,
            rules: used.map((id) => {
              const r = byId.get(id);
              return {
                id,
                shortDescription: { text: r?.description ?? id },
                help: { text: `See docs/rules/${id}.md in kalint.` },
                defaultConfiguration: { level: sarifLevel(r?.defaultSeverity ?? 'warning') },
              };
            }),
          },
        },
        results: diagnostics.map((d) => {
          const result: Record<string, unknown> = {
            ruleId: d.ruleId,
            ruleIndex: index.get(d.ruleId),
            level: sarifLevel(d.severity),
            message: { text: d.message },
            locations: [location(d.range.file, d.range.start, d.range.end)],
          };
          if (d.related?.length) {
            result['relatedLocations'] = d.related.map((r, i) => ({
              id: i + 1,
              message: { text: r.message },
              ...location(r.range.file, r.range.start, r.range.end),
            }));
          }
          return result;
        }),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands: one annotation per diagnostic. */
export function formatGithub(diagnostics: readonly Diagnostic[], name: NameFile): string {
  return diagnostics
    .map((d) => {
      const f = flatten(d, name);
      const command = f.severity === 'info' ? 'notice' : f.severity;
      const props = `file=${escapeProperty(f.file)},line=${f.line},col=${f.column},endLine=${f.endLine},endColumn=${f.endColumn},title=${escapeProperty(f.ruleId)}`;
      return `::${command} ${props}::${escapeData(f.message)}\n`;
    })
    .join('');
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** `2 configurations (3 files): 1 error, 2 warnings`. */
export function summary(diagnostics: readonly Diagnostic[], configurations: number, files: number): string {
  const count = (s: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === s).length;
  const read = `${plural(configurations, 'configuration')} (${plural(files, 'file')})`;
  if (!diagnostics.length) return `${read}: no problems`;
  return `${read}: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}`;
}

export interface TableRow {
  vrid: number;
  scenario: string;
  priorities: { node: string; priority: number | 'FAULT' }[];
  holder: string;
}

/** The effective-priority table of cluster mode: per virtual router, who holds the VIP in each scenario. */
export function formatPriorityTable(rows: readonly TableRow[]): string {
  const out: string[] = [];
  const byVrid = new Map<number, TableRow[]>();
  for (const r of rows) byVrid.set(r.vrid, [...(byVrid.get(r.vrid) ?? []), r]);
  for (const [vrid, group] of byVrid) {
    const nodes = group[0]!.priorities.map((p) => p.node);
    const header = [`VRID ${vrid}`, ...nodes, 'VIP holder'];
    const body = group.map((r) => [r.scenario, ...r.priorities.map((p) => String(p.priority)), r.holder]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
    out.push(line(header), ...body.map(line), '');
  }
  return out.join('\n');
}

/** `--timing`: reading and rule time, and the rules that took longest (as ESLint's TIMING=1 lists them). */
export function formatTiming(timing: { reading: number; rules: ReadonlyMap<string, number> }, top = 10): string {
  const total = [...timing.rules.values()].reduce((a, b) => a + b, 0);
  const share = timing.reading > 0 ? ` (${((100 * total) / timing.reading).toFixed(0)}% of reading)` : '';
  const lines = [`reading ${timing.reading.toFixed(1)} ms, rules ${total.toFixed(1)} ms${share}`];
  const slowest = [...timing.rules].sort((a, b) => b[1] - a[1]).slice(0, top);
  if (slowest.length) {
    const width = Math.max(4, ...slowest.map(([id]) => id.length));
    lines.push(`${'Rule'.padEnd(width)}  Time (ms)  Relative`);
    for (const [id, ms] of slowest) lines.push(`${id.padEnd(width)}  ${ms.toFixed(1).padStart(9)}  ${(total ? (100 * ms) / total : 0).toFixed(1).padStart(7)}%`);
  }
  return lines.join('\n') + '\n';
}
