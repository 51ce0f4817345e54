/** The `kalint` command line. */
import { readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { compareDiagnostics, LATEST_VERSION, type ReadOptions, type Version } from '../grammar/index.ts';
import { check } from './check.ts';
import { formatJson, formatText, summary } from './output.ts';

const USAGE = `Usage: kalint <command> [options]

Commands:
  check PATH...        Read keepalived configurations as keepalived does and report problems.
                       PATH may be a file or a directory (searched for *.conf).

Options for check:
  --format text|json   Output format (default: text).
  --target-version V   Read as keepalived release V does (default: ${LATEST_VERSION}).
  --config-id ID       keepalived's -i: which @ID lines apply (default: the host name up to its first dot).
  --interfaces LIST    Report interfaces not in LIST (comma separated), or 'host' for this machine's.
  -h, --help           Show this help.

Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure.
`;

function fail(message: string): never {
  process.stderr.write(`kalint: ${message}\n${USAGE}`);
  process.exit(2);
}

function hostInterfaces(): Set<string> {
  try {
    return new Set(readdirSync('/sys/class/net'));
  } catch {
    fail('--interfaces host: cannot list /sys/class/net');
  }
}

function runCheck(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'target-version': { type: 'string' },
        'config-id': { type: 'string' },
        interfaces: { type: 'string' },
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
  if (!positionals.length) fail('check needs at least one file or directory');
  if (values.format !== 'text' && values.format !== 'json') fail(`unknown format '${values.format}'`);
  const options: ReadOptions = {};
  if (values['target-version'] !== undefined) {
    if (!/^\d+\.\d+\.\d+$/.test(values['target-version'])) fail(`--target-version needs a release like 2.2.7`);
    options.targetVersion = values['target-version'] as Version;
  }
  if (values['config-id'] !== undefined) options.configId = values['config-id'];
  if (values.interfaces !== undefined) {
    options.interfaces = values.interfaces === 'host' ? hostInterfaces() : new Set(values.interfaces.split(',').filter(Boolean));
  }

  const outcome = check(positionals, options);
  const diagnostics = outcome.results.flatMap((r) => r.diagnostics).sort(compareDiagnostics);
  for (const f of outcome.failures) process.stderr.write(`kalint: cannot read ${f.path}: ${f.error}\n`);
  const cwd = process.cwd();
  process.stdout.write(values.format === 'json' ? formatJson(diagnostics, cwd) : formatText(diagnostics, cwd));
  if (values.format === 'text' && outcome.results.length) {
    const files = outcome.results.reduce((n, r) => n + r.files, 0);
    process.stderr.write(`${summary(diagnostics, outcome.results.length, files)}\n`);
  }
  if (outcome.failures.length) return 2;
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return runCheck(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      fail(`unknown command '${command}'`);
  }
}

process.exitCode = main(process.argv.slice(2));
