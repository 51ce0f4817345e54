/**
 * `kalint simulate a.conf b.conf ...`: the nodes' configurations run in the
 * daemon's own code on a simulated network in virtual time, through a
 * scenario or the standard battery; prints the timeline and the findings,
 * exit 1 when there are findings.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { blocksOf, type Config, flatten, lastStatement, model, nodeHost, readConfig, type SourceFile } from '../grammar/index.ts';
import { lint, lintRules } from '../lint/index.ts';
import { nodeLabel } from '../lint/cluster.ts';
import { runConfig } from '../runtime/config.ts';
import { battery, type CaseOptions, type CaseResult, type CaseSpec, runCase } from '../runtime/sim/cases.ts';
import { formatHtml } from '../runtime/sim/html.ts';
import { caseJson, formatCaseText } from '../runtime/sim/report.ts';
import { parseScenario, parseTime, type ScenarioNodes, ScenarioError } from '../runtime/sim/scenario.ts';
import type { SimNode } from '../runtime/sim/simulation.ts';
import { formatStylish } from './output.ts';

export const SIMULATE_USAGE = `Usage: kalint simulate FILE FILE... [options]

Runs every node's configuration through kalint run's own VRRP code on a simulated
network, in virtual time, and reports what happens: transitions, who holds each VIP,
adverts, failover times, and findings (split brain, VIP held by no node, a failing
check that does not move the VIP, flapping, slow failover). Exit 1 on findings.

Options:
  --scenario FILE        Timed events (YAML or JSON; - for stdin). Without it, the standard
                         battery: each node crashes and returns, each tracked script fails and
                         recovers, each node is cut off and the network heals.
  --format FORMAT        text (default) or json.
  --html FILE            Also write a self-contained page with a swimlane chart per case.
  --duration TIME        How long to simulate (default: last event plus the time to settle).
  --delay TIME           One-way packet delay (default 0).
  --seed N               Seed of random packet loss (default 1).
  --max-failover TIME    Report failovers slower than TIME (sim/slow-failover).
  --address NODE=IP      A node's address where its configuration has no unicast_src_ip
                         (default: inferred from the others' unicast_peer, else 192.0.2.10, .11 ...).
  --config-id ID         keepalived's -i for every file, as kalint run.
  --logs                 Include each daemon's log lines in the timeline.
  --force                Simulate configurations that have lint errors.
  -h, --help             Show this help.

Times take ms, s, m or h (a bare number is seconds).
`;

export class SimulateUsageError extends Error {}

/** Node names: router_id, else the file's name without .conf; repeated names get #2, #3. */
function names(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    return n === 1 ? label : `${label}#${n}`;
  });
}

/**
 * A node's address where its configuration gives no unicast_src_ip: the one given, else the one peer address the
 * other nodes list that is none of theirs and not in its own peers, else 192.0.2.x in the order of the files.
 */
function addressesOf(configs: readonly { name: string; config: Config }[], given: ReadonlyMap<string, string>): SimNode['address'][] {
  const info = configs.map(({ config }) => {
    const unicast = model.instancesOf(config).map((b) => model.unicastOf(b));
    return { own: unicast.flatMap((u) => (u.source ? [u.source.address] : [])), peers: unicast.flatMap((u) => u.peers.map((p) => p.ip.address)) };
  });
  return configs.map(({ name }, k) => {
    const fallback = { 4: `192.0.2.${10 + k}`, 6: `fe80::${(10 + k).toString(16)}` };
    const set = given.get(name);
    if (set) return set.includes(':') ? { ...fallback, 6: set } : { ...fallback, 4: set };
    const others = info.filter((_, j) => j !== k);
    const candidates = [...new Set(others.flatMap((o) => o.peers))].filter((a) => !others.some((o) => o.own.includes(a)) && !info[k]!.peers.includes(a));
    const v4 = candidates.filter((a) => !a.includes(':'));
    const v6 = candidates.filter((a) => a.includes(':'));
    return { 4: v4.length === 1 ? v4[0]! : fallback[4], 6: v6.length === 1 ? v6[0]! : fallback[6] };
  });
}

export async function runSimulate(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        scenario: { type: 'string' },
        format: { type: 'string', default: 'text' },
        html: { type: 'string' },
        duration: { type: 'string' },
        delay: { type: 'string' },
        seed: { type: 'string' },
        'max-failover': { type: 'string' },
        address: { type: 'string', multiple: true },
        'config-id': { type: 'string', short: 'i' },
        logs: { type: 'boolean' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new SimulateUsageError((e as Error).message);
  }
  const { values, positionals: files } = parsed;
  if (values.help) {
    process.stdout.write(SIMULATE_USAGE);
    return 0;
  }
  if (!files.length) throw new SimulateUsageError('simulate needs the configuration of each node');
  if (values.format !== 'text' && values.format !== 'json') throw new SimulateUsageError('--format needs text or json');
  const time = (option: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    try {
      return parseTime(value, `--${option}`);
    } catch (e) {
      throw new SimulateUsageError((e as Error).message);
    }
  };
  const duration = time('duration', values.duration);
  const cli: CaseOptions = {};
  const delay = time('delay', values.delay);
  if (delay !== undefined) cli.delayMs = delay;
  const maxFailover = time('max-failover', values['max-failover']);
  if (maxFailover !== undefined) cli.maxFailoverMs = maxFailover;
  if (values.seed !== undefined) {
    if (!/^\d+$/.test(values.seed)) throw new SimulateUsageError('--seed needs a whole number');
    cli.seed = Number(values.seed);
  }
  if (values.logs) cli.logs = true;
  const given = new Map<string, string>();
  for (const a of values.address ?? []) {
    const m = /^([^=]+)=(.+)$/.exec(a);
    if (!m) throw new SimulateUsageError(`--address needs NODE=IP, got ${a}`);
    given.set(m[1]!, m[2]!);
  }

  // Each node as kalint run reads it; errors stop the simulation as they stop the daemon.
  const loaded: { name: string; file: string; config: Config }[] = [];
  let errors = 0;
  const label = (f: SourceFile) => relative(process.cwd(), f.path) || f.path;
  for (const file of files) {
    const result = readConfig(basename(file), { host: nodeHost(dirname(file)), ...(values['config-id'] !== undefined ? { configId: values['config-id'] } : {}) });
    if ('error' in result) {
      process.stderr.write(`kalint: cannot read ${file}: ${result.error}\n`);
      return 2;
    }
    const found = lint(result, { rules: lintRules, severities: {} }).filter((d) => d.severity === 'error');
    errors += found.length;
    process.stderr.write(formatStylish(found, label, false));
    const id = nodeLabel(result.config);
    loaded.push({ name: id === result.config.file.path ? basename(file).replace(/\.conf$/, '') : id, file, config: result.config });
  }
  if (errors && !values.force) {
    process.stderr.write(`kalint: not simulating configurations with ${errors} error${errors === 1 ? '' : 's'} (--force simulates them anyway)\n`);
    return 1;
  }
  const unique = names(loaded.map((l) => l.name));
  for (const name of given.keys()) if (!unique.includes(name)) throw new SimulateUsageError(`--address: no node ${name} (nodes: ${unique.join(', ')})`);
  const addresses = addressesOf(loaded.map((l, k) => ({ name: unique[k]!, config: l.config })), given);
  const nodes: SimNode[] = loaded.map((l, k) => ({ name: unique[k]!, config: l.config, address: addresses[k]! }));

  let cases: CaseSpec[];
  const options: CaseOptions = { ...cli };
  if (values.scenario !== undefined) {
    const text = values.scenario === '-' ? readFileSync(0, 'utf8') : readScenario(values.scenario);
    const known: ScenarioNodes = {};
    for (const n of nodes) {
      const runs = runConfig(n.config, (_, family) => n.address[family]).instances;
      const trackedInterfaces = model.instancesOf(n.config).flatMap((b) => model.effectiveTrackers(b, n.config, new model.GlobalDefs(n.config)).filter((t) => t.kind === 'interface').map((t) => t.name));
      known[n.name] = {
        scripts: blocksOf(n.config, 'vrrp_script').flatMap((b) => (b.name ? [b.name] : [])),
        files: blocksOf(n.config, 'track_file').flatMap((b) => {
          const path = lastStatement(b, 'file')?.params['path'];
          return typeof path === 'string' ? [path] : [];
        }),
        interfaces: [...new Set([...runs.flatMap((r) => [r.interface, ...r.vips.map((v) => v.device)]), ...trackedInterfaces])],
      };
    }
    let scenario;
    try {
      scenario = parseScenario(text, known);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      process.stderr.write(`kalint: scenario ${values.scenario === '-' ? '(stdin)' : values.scenario}: ${e.message}\n`);
      return 2;
    }
    if (scenario.delayMs !== undefined && options.delayMs === undefined) options.delayMs = scenario.delayMs;
    if (scenario.seed !== undefined && options.seed === undefined) options.seed = scenario.seed;
    if (scenario.maxFailoverMs !== undefined && options.maxFailoverMs === undefined) options.maxFailoverMs = scenario.maxFailoverMs;
    if (scenario.segments) options.segments = scenario.segments;
    const length = duration ?? scenario.duration;
    cases = [{ name: values.scenario === '-' ? 'scenario' : basename(values.scenario), events: scenario.events, ...(length !== undefined ? { duration: length } : {}) }];
  } else {
    cases = battery(nodes).map((c) => (duration !== undefined ? { ...c, duration } : c));
  }
  const results: CaseResult[] = cases.map((c) => runCase(nodes, c, options));
  const findingsOf = (r: CaseResult) => r.diagnostics.map((d) => flatten(d, label));
  const total = results.reduce((n, r) => n + r.diagnostics.length, 0);
  if (values.html) writeFileSync(values.html, formatHtml(`kalint simulate: ${nodes.map((n) => n.name).join(', ')}`, loaded.map((l, k) => ({ name: unique[k]!, file: l.file })), results, findingsOf));
  if (values.format === 'json') {
    const out = {
      nodes: nodes.map((n, k) => ({ name: n.name, file: loaded[k]!.file, address: n.address[4] })),
      cases: results.map((r) => ({ ...caseJson(r, { logs: values.logs === true }), findings: findingsOf(r) })),
      findings: total,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const colour = process.stdout.isTTY === true && !process.env['NO_COLOR'];
    const header = `kalint simulate: ${nodes.map((n, k) => `${n.name} (${loaded[k]!.file}, ${n.address[4]})`).join(', ')}\n`;
    const sections = results.map((r, k) => `\n== ${results.length > 1 ? `case ${k + 1}/${results.length}: ` : ''}${r.name} (${(r.timeline.duration / 1000).toFixed(3)} s) ==\n${formatCaseText(r, { logs: values.logs === true })}${r.diagnostics.length ? formatStylish(r.diagnostics, label, colour) : 'no findings\n'}`);
    process.stdout.write(header + sections.join('') + `\n${total ? `${total} finding${total === 1 ? '' : 's'}` : 'no findings'} in ${results.length} case${results.length === 1 ? '' : 's'}\n`);
  }
  return total ? 1 : 0;
}

function readScenario(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new SimulateUsageError(`cannot read the scenario ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
