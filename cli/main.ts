/** The `kalint` command line. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { compareDiagnostics, LATEST_VERSION, type ReadOptions, type RuleMeta, type SourceFile, type Version } from '../grammar/index.ts';
import { allRuleMetas, configSchema, findConfig, hostInterfaces, type KalintConfig, lintRules, loadConfig } from '../lint/index.ts';
import { lintCluster, nodeLabel, priorityTable, virtualRouters } from '../lint/cluster.ts';
import { clusterRules } from '../lint/cluster-rules/index.ts';
import { check, type Timing } from './check.ts';
import { type Format, FORMATS, formatGithub, formatJson, formatPriorityTable, formatSarif, formatStylish, formatTiming, summary } from './output.ts';

const USAGE = `Usage: kalint <command> [options]

Commands:
  check PATH...          Read keepalived configurations as keepalived does and report problems.
                         PATH may be a file or a directory (searched for *.conf).
  fmt PATH...            Format configurations in place (kalint fmt --help for its options).
  lsp --stdio            Run the language server for editors.
  run -f FILE            Run the configuration's VRRP instances as a daemon (kalint run --help).
  simulate FILE...       Run the nodes' configurations through failures in virtual time (kalint simulate --help).
  status                 What the running kalint run's instances are doing (--json).
  translate FILE --to F  Print a configuration as JSON or YAML, or JSON/YAML as keepalived.conf.
  schema                 Print the JSON Schema of the translated data.
  diff OLD NEW           What changes between two configurations, for keepalived (exit 1 if anything).
  migrate FILE           Rewrite deprecated syntax for a keepalived release (--to V, --write, --diff).
  rules                  List every rule with its default severity.
  config-schema          Print the JSON Schema of .kalintrc.json.

Options for check:
  --format FORMAT        stylish (default), json, sarif or github.
  --fix                  Apply safe fixes to the files, then report what is left.
  --fix-dry-run          Print the fixes as a unified diff; change nothing.
  --max-warnings N       Exit 1 when there are more than N warnings.
  --cluster              Treat the files as the nodes of one cluster: compare them, and print who holds
                         each VIP when each tracked script fails (cluster.nodes in .kalintrc.json when no PATH).
  --config FILE          Use this .kalintrc.json (default: the nearest one above the first path).
  --target-version V     Read as keepalived release V does (default: ${LATEST_VERSION}).
  --config-id ID         keepalived's -i: which @ID lines apply (default: the host name up to its first dot).
  --interfaces LIST      Report interfaces not in LIST (comma separated), or 'host' for this machine's.
  --timing               Print to stderr the time spent reading and in each rule.
  -h, --help             Show this help.

Exit status: 0 no errors, 1 errors found (or too many warnings), 2 usage or I/O failure.
`;

class UsageError extends Error {}

/** A problem the user must fix before kalint can run, for which the usage text would not help. */
class SetupError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

const ruleIds = () => allRuleMetas().map((r) => r.id);

async function readSettings(path: string): Promise<KalintConfig> {
  const loaded = await loadConfig(path, ruleIds());
  if ('problems' in loaded) {
    for (const p of loaded.problems) process.stderr.write(`${p.file}:${p.line}:${p.column}  error  ${p.message}  config\n`);
    throw new SetupError(`invalid configuration ${path}`);
  }
  return loaded.config;
}

async function runCheck(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'stylish' },
        fix: { type: 'boolean' },
        'fix-dry-run': { type: 'boolean' },
        cluster: { type: 'boolean' },
        'max-warnings': { type: 'string' },
        config: { type: 'string' },
        'target-version': { type: 'string' },
        'config-id': { type: 'string' },
        interfaces: { type: 'string' },
        timing: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    fail((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const cwd = process.cwd();
  const configPath = values.config ?? findConfig(positionals[0] ?? cwd);
  const settings: KalintConfig = configPath ? await readSettings(configPath) : {};
  const paths = positionals.length ? positionals : values.cluster && settings.cluster ? settings.cluster.nodes : [];
  if (!paths.length) fail(values.cluster ? '--cluster needs the nodes\' files, or cluster.nodes in .kalintrc.json' : 'check needs at least one file or directory');
  const format = values.format as Format;
  if (!FORMATS.includes(format)) fail(`unknown format '${values.format}'`);
  if (values.fix && values['fix-dry-run']) fail('--fix and --fix-dry-run exclude each other');
  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) fail('--max-warnings needs a whole number');
  }


  const read: Omit<ReadOptions, 'host'> = {};
  const targetVersion = values['target-version'] ?? settings.targetVersion;
  if (targetVersion !== undefined) {
    if (!/^\d+\.\d+\.\d+$/.test(targetVersion)) fail(`--target-version needs a release like 2.2.7`);
    read.targetVersion = targetVersion as Version;
  }
  const configId = values['config-id'] ?? settings.configId;
  if (configId !== undefined) read.configId = configId;
  const interfaces = values.interfaces?.split(',').filter(Boolean) ?? settings.interfaces;
  if (interfaces !== undefined) read.interfaces = interfaces === 'host' || (Array.isArray(interfaces) && interfaces[0] === 'host') ? (hostInterfaces() ?? fail('--interfaces host: cannot list /sys/class/net')) : new Set(interfaces);

  const timing: Timing | undefined = values.timing ? { reading: 0, rules: new Map() } : undefined;
  const outcome = await check({
    paths,
    read,
    rules: lintRules,
    severities: settings.rules ?? {},
    ...(settings.includeRoot ? { includeRoot: settings.includeRoot } : {}),
    fix: values.fix ? 'apply' : values['fix-dry-run'] ? 'dry-run' : 'none',
    cwd,
    ...(timing ? { timing } : {}),
  });
  if (timing) process.stderr.write(formatTiming(timing));
  for (const f of outcome.failures) process.stderr.write(`kalint: cannot read ${f.path}: ${f.error}\n`);
  if (values['fix-dry-run']) {
    process.stdout.write(outcome.patches.join(''));
    return outcome.failures.length ? 2 : 0;
  }

  const nodes = values.cluster ? outcome.results.map((r) => ({ label: nodeLabel(r.result.config), result: r.result })) : [];
  if (values.cluster && nodes.length < 2) fail('--cluster needs the configurations of at least two nodes');
  const clusterDiagnostics = values.cluster ? lintCluster(nodes, clusterRules, settings.rules ?? {}) : [];
  const diagnostics = [...outcome.results.flatMap((r) => r.diagnostics), ...clusterDiagnostics].sort(compareDiagnostics);
  const name = (file: SourceFile) => {
    const real = outcome.realPath(file);
    const rel = relative(cwd, real);
    return rel && !rel.startsWith('..') ? rel : real;
  };
  switch (format) {
    case 'stylish':
      process.stdout.write(formatStylish(diagnostics, name, process.stdout.isTTY === true));
      if (values.cluster) process.stdout.write(`\n${formatPriorityTable(priorityTable(virtualRouters(nodes)))}`);
      if (outcome.results.length) {
        const files = outcome.results.reduce((n, r) => n + r.files, 0);
        const fixed = values.fix && outcome.patches.length ? ` (fixed ${outcome.patches.length} file${outcome.patches.length === 1 ? '' : 's'})` : '';
        process.stderr.write(`${summary(diagnostics, outcome.results.length, files)}${fixed}\n`);
      }
      break;
    case 'json':
      process.stdout.write(formatJson(diagnostics, name));
      break;
    case 'sarif':
      process.stdout.write(formatSarif(diagnostics, name, allRuleMetas(), version()));
      break;
    case 'github':
      process.stdout.write(formatGithub(diagnostics, name));
      break;
  }
  if (outcome.failures.length) return 2;
  if (diagnostics.some((d) => d.severity === 'error')) return 1;
  if (maxWarnings !== undefined && diagnostics.filter((d) => d.severity === 'warning').length > maxWarnings) return 1;
  return 0;
}

async function runRules(): Promise<number> {
  // The simulator's rules judge timelines, not files: kalint simulate reports them.
  const { simulationRules } = await import('../runtime/sim/findings.ts');
  const metas: (RuleMeta & { fixable?: boolean })[] = [...allRuleMetas(), ...Object.values(simulationRules)];
  const width = Math.max(...metas.map((m) => m.id.length));
  for (const m of metas) {
    process.stdout.write(`${m.id.padEnd(width)}  ${m.defaultSeverity.padEnd(7)}  ${m.fixable ? 'fixable' : '       '}  ${m.description}\n`);
  }
  return 0;
}

/** The formatter and what it brings (Chevrotain, Prettier's printer) load only for this command. */
async function runFmtCommand(argv: string[]): Promise<number> {
  const { runFmt, FmtUsageError, FMT_USAGE } = await import('./fmt.ts');
  try {
    return await runFmt(argv);
  } catch (e) {
    if (!(e instanceof FmtUsageError)) throw e;
    process.stderr.write(`kalint: ${e.message}\n${FMT_USAGE}`);
    return 2;
  }
}

async function runTranslateCommand(command: 'translate' | 'schema' | 'diff' | 'migrate', argv: string[]): Promise<number> {
  const { runDiff, runMigrate, runTranslate, runSchema, TranslateUsageError, TRANSLATE_USAGE } = await import('./translate.ts');
  try {
    if (command === 'diff') return runDiff(argv);
    if (command === 'migrate') return runMigrate(argv);
    return command === 'schema' ? runSchema() : runTranslate(argv);
  } catch (e) {
    if (!(e instanceof TranslateUsageError)) throw e;
    process.stderr.write(`kalint: ${e.message}\n${TRANSLATE_USAGE}`);
    return 2;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await runCheck(rest);
      case 'fmt':
        return await runFmtCommand(rest);
      case 'translate':
      case 'schema':
      case 'diff':
      case 'migrate':
        return await runTranslateCommand(command, rest);
      case 'run': {
        const { runDaemon, RunUsageError, RUN_USAGE } = await import('./run.ts');
        try {
          // The daemon keeps the process running until a signal ends it.
          return runDaemon(rest) ?? new Promise<number>(() => {});
        } catch (e) {
          if (!(e instanceof RunUsageError)) throw e;
          process.stderr.write(`kalint: ${e.message}\n${RUN_USAGE}`);
          return 2;
        }
      }
      case 'simulate': {
        const { runSimulate, SimulateUsageError, SIMULATE_USAGE } = await import('./simulate.ts');
        try {
          return await runSimulate(rest);
        } catch (e) {
          if (!(e instanceof SimulateUsageError)) throw e;
          process.stderr.write(`kalint: ${e.message}\n${SIMULATE_USAGE}`);
          return 2;
        }
      }
      case 'status': {
        const { runStatus, RunUsageError, RUN_USAGE } = await import('./run.ts');
        try {
          return await runStatus(rest);
        } catch (e) {
          if (!(e instanceof RunUsageError)) throw e;
          process.stderr.write(`kalint: ${e.message}\n${RUN_USAGE}`);
          return 2;
        }
      }
      case 'lsp': {
        const { runLsp } = await import('./lsp.ts');
        // The server keeps the process running; its exit code comes with the protocol's exit.
        return runLsp(rest) ?? new Promise<number>(() => {});
      }
      case 'rules':
        return await runRules();
      case 'config-schema':
        process.stdout.write(JSON.stringify(configSchema(ruleIds()), null, 2) + '\n');
        return 0;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        fail(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof SetupError) {
      process.stderr.write(`kalint: ${e.message}\n`);
      return 2;
    }
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`kalint: ${e.message}\n${USAGE}`);
    return 2;
  }
}

// `kalint rules | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = await main(process.argv.slice(2));
