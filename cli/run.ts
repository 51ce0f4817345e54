/** `kalint run`: the configuration as a VRRP daemon. Loaded only for this command. */
import { rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { flatten, nodeHost, readConfig, type ReadResult } from '../grammar/index.ts';
import { lint, lintRules } from '../lint/index.ts';
import { addonIcmpEcho } from '../runtime/check/icmp-socket.ts';
import { addonTcpConnect } from '../runtime/check/tcp.ts';
import { runConfig } from '../runtime/config.ts';
import { Daemon } from '../runtime/daemon.ts';
import { DryRunDataplane } from '../runtime/dataplane/dry-run.ts';
import { IpvsDataplane, ipvsAvailable } from '../runtime/dataplane/ipvs.ts';
import { NftablesDataplane } from '../runtime/dataplane/nftables.ts';
import type { Dataplane } from '../runtime/dataplane/types.ts';
import { loadVrrpIo } from '../runtime/io.ts';
import { realCheckers } from '../runtime/lvs/checkers.ts';
import type { DataplaneStatus, VirtualServerStatus } from '../runtime/lvs/manager.ts';
import { logger } from '../runtime/log.ts';
import { Metrics } from '../runtime/metrics.ts';

export const DEFAULT_CONTROL = '/run/kalint-vrrp.sock';

export const RUN_USAGE = `Usage: kalint run -f FILE [options]
       kalint status [--control PATH] [--json]

Runs FILE as keepalived would: its VRRP instances on this host's interfaces, and its virtual servers, whose
real servers are health-checked and programmed into a load-balancing dataplane.
status prints each running instance's state, priority, VIPs and dropped-packet counters, and each virtual
server's quorum and real servers.

SIGTERM: masters resign (priority 0) and release their VIPs. SIGHUP: reload; unchanged instances keep their
state, a configuration with errors is rejected and the running one stays. SIGUSR1: state to the log.

Options:
  -f, --use-file FILE    The configuration.
  -i, --config-id ID     keepalived's -i: which @ID lines apply.
  --force                Run even when kalint check finds errors.
  --control PATH         The control socket kalint status asks (default ${DEFAULT_CONTROL}).
  --metrics HOST:PORT    Serve Prometheus metrics on http://HOST:PORT/metrics.
  -p, --pid-file FILE    Write the daemon's process id to FILE (removed on exit).
  -l, --log-console      Log to the console too.
  -D, --log-detail       Log every dropped packet, not the first of each kind and every 1000th.
  -S, --log-facility N   Log to syslog as local0..local7 instead of daemon.
  --syslog-socket PATH   Where syslog listens (default /dev/log); without a listener, logs go to the console.
  -P, --vrrp-only        Run only the VRRP instances.
  -C, --check-only       Run only the virtual servers and their checkers.
  --dataplane KIND       Where virtual servers go: auto (IPVS when /proc/net/ip_vs exists, else nftables),
                         ipvs (generic netlink), nftables (one nft transaction per change) or dry-run (the
                         ipvsadm commands keepalived would run, logged).
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
        control: { type: 'string', default: DEFAULT_CONTROL },
        metrics: { type: 'string' },
        'pid-file': { type: 'string', short: 'p' },
        'log-console': { type: 'boolean', short: 'l' },
        'log-detail': { type: 'boolean', short: 'D' },
        'log-facility': { type: 'string', short: 'S' },
        'syslog-socket': { type: 'string', default: '/dev/log' },
        'vrrp-only': { type: 'boolean', short: 'P' },
        'check-only': { type: 'boolean', short: 'C' },
        dataplane: { type: 'string', default: 'auto' },
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
  const facility = values['log-facility'];
  if (facility !== undefined && !/^[0-7]$/.test(facility)) throw new RunUsageError('--log-facility needs 0..7 (local0..local7)');
  if (values['vrrp-only'] && values['check-only']) throw new RunUsageError('--vrrp-only and --check-only exclude each other');
  const dataplaneKind = values.dataplane!;
  if (!['auto', 'ipvs', 'nftables', 'dry-run'].includes(dataplaneKind)) throw new RunUsageError('--dataplane needs auto, ipvs, nftables or dry-run');
  const io = loadVrrpIo();
  const log = logger(
    { console: values['log-console'] === true, syslogSocket: values['syslog-socket']!, ...(facility !== undefined ? { facility: Number(facility) } : {}) },
    (socket, datagram) => io.syslog(socket, datagram),
  );
  const load = (): { error: string } | { result: ReadResult; errors: string[] } => {
    const result = readConfig(basename(file), { host: nodeHost(dirname(file)), ...(values['config-id'] !== undefined ? { configId: values['config-id'] } : {}) });
    if ('error' in result) return { error: `cannot read ${file}: ${result.error}` };
    const errors = lint(result, { rules: lintRules, severities: {} })
      .filter((d) => d.severity === 'error')
      .map((d) => flatten(d))
      .map((f) => `${f.file}:${f.line}:${f.column}  error  ${f.message}  ${f.ruleId}`);
    return { result, errors };
  };
  const first = load();
  if ('error' in first) {
    process.stderr.write(`kalint: ${first.error}\n`);
    return 2;
  }
  for (const e of first.errors) process.stderr.write(`${e}\n`);
  if (first.errors.length && !values.force) {
    process.stderr.write(`kalint: not running a configuration with ${first.errors.length} error${first.errors.length === 1 ? '' : 's'} (--force runs it anyway)\n`);
    return 1;
  }
  if (values.metrics !== undefined && !/^(\[[^\]]+\]|[^:]+):\d+$/.test(values.metrics)) throw new RunUsageError('--metrics needs HOST:PORT');
  const metrics = values.metrics !== undefined ? new Metrics() : undefined;
  // Direct routing forwards on the interface of the instance that holds the service's address.
  let interfaces = new Map<string, string>();
  const learnInterfaces = (config: ReadResult['config']) => {
    interfaces = new Map(runConfig(config).instances.flatMap((i) => i.vips.map((v) => [v.address, i.interface] as const)));
  };
  learnInterfaces(first.result.config);
  const dataplane = (): Dataplane => {
    const kind = dataplaneKind === 'auto' ? (ipvsAvailable() ? 'ipvs' : 'nftables') : dataplaneKind;
    if (kind === 'ipvs') return new IpvsDataplane(io);
    if (kind === 'dry-run') return new DryRunDataplane(log);
    return new NftablesDataplane({ warn: log, device: (service) => (service.address ? interfaces.get(service.address) : undefined) });
  };
  const daemon = new Daemon({
    config: first.result.config,
    io,
    log,
    detail: values['log-detail'] === true,
    ...(metrics ? { metrics } : {}),
    ...(values['vrrp-only'] ? {} : { lvs: { dataplane: dataplane(), checkers: realCheckers(addonIcmpEcho(io), addonTcpConnect(io)) } }),
    ...(values['check-only'] ? { vrrp: false } : {}),
  });
  const metricsServer = metrics?.serve(values.metrics!);
  const pidFile = values['pid-file'];
  if (pidFile) writeFileSync(pidFile, `${process.pid}\n`);
  log(`Starting VRRP child process, pid=${process.pid}`);
  daemon.start();
  // kalint status reads the state from here.
  const control = values.control!;
  rmSync(control, { force: true });
  const status = (): Status => {
    const dataplane = daemon.dataplane();
    return { instances: daemon.status(), virtualServers: daemon.virtualServers(), ...(dataplane ? { dataplane } : {}) };
  };
  const server = createServer((socket) => socket.end(`${JSON.stringify(status())}\n`));
  server.on('error', (e) => log(`control socket ${control}: ${e.message}`));
  server.listen(control);
  const stop = async () => {
    log('Stopping');
    server.close();
    metricsServer?.close();
    await daemon.stop();
    rmSync(control, { force: true });
    if (pidFile) rmSync(pidFile, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGUSR1', () => log(JSON.stringify(status())));
  // A bad new configuration is rejected and the running one stays.
  process.on('SIGHUP', () => {
    log('Reloading');
    const next = load();
    if ('error' in next || (next.errors.length && !values.force)) {
      for (const e of 'error' in next ? [next.error] : next.errors) log(e);
      log('New configuration rejected; keeping the running one');
      return;
    }
    learnInterfaces(next.result.config);
    daemon.reload(next.result.config);
  });
  return undefined;
}

/** What the control socket answers. */
interface Status {
  instances: ReturnType<Daemon['status']>;
  virtualServers: VirtualServerStatus[];
  /** Absent with --vrrp-only. */
  dataplane?: DataplaneStatus;
}

/** Columns padded to their widest cell, two spaces apart. */
function formatTable(table: string[][]): string {
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  return table.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n') + '\n';
}

/** `kalint status`: what the daemon behind the control socket says. */
export async function runStatus(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { control: { type: 'string', default: DEFAULT_CONTROL }, json: { type: 'boolean' } } });
  } catch (e) {
    throw new RunUsageError((e as Error).message);
  }
  const { control, json } = parsed.values;
  let text = '';
  try {
    text = await new Promise<string>((resolve, reject) => {
      let data = '';
      const socket = createConnection(control!);
      socket.on('data', (d) => (data += d));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
  } catch (e) {
    process.stderr.write(`kalint: no kalint run answers on ${control}: ${(e as Error).message}\n`);
    return 2;
  }
  if (json) {
    process.stdout.write(text);
    return 0;
  }
  const status = JSON.parse(text) as Status;
  const tables: string[][][] = [];
  if (status.instances.length || !status.virtualServers.length) {
    const rows = status.instances.map((i) => [
      i.name,
      i.state,
      String(i.priority),
      i.vips.join(',') || '-',
      Object.entries(i.drops)
        .map(([k, n]) => `${k}=${n}`)
        .join(',') || '-',
    ]);
    tables.push([['INSTANCE', 'STATE', 'PRIORITY', 'VIPS', 'DROPS'], ...rows]);
  }
  if (status.virtualServers.length) {
    const rows = status.virtualServers.flatMap((vs) => [
      ...vs.realServers.map((rs) => [vs.service, vs.quorum ? 'up' : 'down', rs.server, rs.alive ? 'up' : 'down', rs.inTable ? String(rs.weight) : '-']),
      ...(vs.sorry ? [[vs.service, vs.quorum ? 'up' : 'down', `${vs.sorry.server} (sorry)`, vs.sorry.alive ? 'serving' : '-', vs.sorry.inTable ? String(vs.sorry.weight) : '-']] : []),
    ]);
    tables.push([['VIRTUAL SERVER', 'QUORUM', 'REAL SERVER', 'CHECKS', 'WEIGHT'], ...rows]);
  }
  const dataplane = status.dataplane && status.virtualServers.length ? `dataplane ${status.dataplane.name}: ${status.dataplane.error ? `last update failed: ${status.dataplane.error}` : 'up to date'}\n` : '';
  process.stdout.write(tables.map(formatTable).join('\n') + dataplane);
  return 0;
}
