/** `kalint run`: the configuration as a VRRP daemon. Loaded only for this command. */
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { flatten, nodeHost, readConfig } from '../grammar/index.ts';
import { lint, lintRules } from '../lint/index.ts';
import { Daemon } from '../runtime/daemon.ts';
import { loadVrrpIo } from '../runtime/io.ts';

export const RUN_USAGE = `Usage: kalint run -f FILE [options]

Runs the VRRP instances of FILE as keepalived's VRRP process would, on this host's interfaces.

Options:
  -f, --use-file FILE    The configuration.
  -i, --config-id ID     keepalived's -i: which @ID lines apply.
  --force                Run even when kalint check finds errors.
  -l, --log-console      Log to the console (the default for now).
  -h, --help             Show this help.
`;

export class RunUsageError extends Error {}

export function runDaemon(argv: string[]): number | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        'use-file': { type: 'string', short: 'f' },
        'config-id': { type: 'string', short: 'i' },
        force: { type: 'boolean' },
        'log-console': { type: 'boolean', short: 'l' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new RunUsageError((e as Error).message);
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(RUN_USAGE);
    return 0;
  }
  const file = values['use-file'];
  if (!file) throw new RunUsageError('run needs -f FILE');
  const result = readConfig(basename(file), { host: nodeHost(dirname(file)), ...(values['config-id'] !== undefined ? { configId: values['config-id'] } : {}) });
  if ('error' in result) {
    process.stderr.write(`kalint: cannot read ${file}: ${result.error}\n`);
    return 2;
  }
  const errors = lint(result, { rules: lintRules, severities: {} }).filter((d) => d.severity === 'error');
  for (const d of errors) {
    const f = flatten(d);
    process.stderr.write(`${f.file}:${f.line}:${f.column}  error  ${f.message}  ${f.ruleId}\n`);
  }
  if (errors.length && !values.force) {
    process.stderr.write(`kalint: not running a configuration with ${errors.length} error${errors.length === 1 ? '' : 's'} (--force runs it anyway)\n`);
    return 1;
  }
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} Keepalived_vrrp[${process.pid}]: ${line}\n`);
  const daemon = new Daemon({ config: result.config, io: loadVrrpIo(), log });
  log(`Starting VRRP child process, pid=${process.pid}`);
  daemon.start();
  const stop = () => {
    log('Stopping');
    daemon.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGUSR1', () => log(JSON.stringify(daemon.status())));
  return undefined;
}
