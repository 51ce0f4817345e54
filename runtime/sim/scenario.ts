/**
 * Scenarios for `kalint simulate`: a YAML or JSON list of timed events, as
 * strings (`5s crash lb1`) or objects (`{at: 5s, crash: lb1}`), optionally
 * under `events:` beside settings (duration, delay, seed, segments,
 * max-failover). Times take ms, s, m or h; a bare number is seconds, as in
 * keepalived. Every problem is reported with the event it is in.
 */
import { parse as parseYaml } from 'yaml';
import { initiallyDown, type SimEvent } from './simulation.ts';

export interface Scenario {
  events: SimEvent[];
  /** How long to simulate (ms); by default until the cluster has settled after the last event. */
  duration?: number;
  delayMs?: number;
  seed?: number;
  segments?: Record<string, string>;
  /** Failovers slower than this are findings (ms). */
  maxFailoverMs?: number;
}

/** What the scenario may name: the nodes, each with its scripts and interfaces. */
export interface ScenarioNodes {
  [node: string]: { scripts: readonly string[]; interfaces: readonly string[]; files: readonly string[] };
}

export class ScenarioError extends Error {}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The longest stretch of virtual time simulated: a day of a 10-node cluster takes a few minutes. */
export const MAX_SIMULATED_MS = 24 * 3_600_000;

/** A duration in ms: `250ms`, `1.5s`, `2m`, `1h`; a bare number is seconds. */
export function parseTime(value: unknown, what: string): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  const m = text === undefined ? null : /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text);
  if (!m) throw new ScenarioError(`${what}: expected a time such as 500ms, 5s, 2m or 1h, got ${JSON.stringify(value)}`);
  const ms = Number(m[1]) * UNITS[m[2] ?? 's']!;
  if (ms > MAX_SIMULATED_MS) throw new ScenarioError(`${what}: ${text} is more than the 24 h kalint simulates`);
  return ms;
}

const VERBS = ['crash', 'restart', 'stop', 'start', 'script-fail', 'script-recover', 'link-down', 'link-up', 'partition', 'heal', 'loss', 'file'] as const;
type Verb = (typeof VERBS)[number];

/** `[a,b] [c]` or `a,b | c`: the groups of a partition. */
function groupsOf(args: string): string[][] {
  const bracketed = [...args.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!);
  const parts = bracketed.length ? bracketed : args.split('|');
  return parts.map((p) => p.split(/[\s,]+/).filter(Boolean));
}

function eventOf(verb: Verb, at: number, args: string[], rest: string, nodes: ScenarioNodes, where: string): SimEvent {
  const node = () => {
    const name = args[0];
    if (!name) throw new ScenarioError(`${where}: ${verb} needs a node`);
    if (!nodes[name]) throw new ScenarioError(`${where}: no node ${name} (nodes: ${Object.keys(nodes).join(', ')})`);
    return name;
  };
  const count = (n: number, usage: string) => {
    if (args.length !== n) throw new ScenarioError(`${where}: expected ${verb} ${usage}`);
  };
  switch (verb) {
    case 'crash':
    case 'restart':
    case 'stop':
    case 'start':
      count(1, 'NODE');
      return { at, kind: verb, node: node() };
    case 'script-fail':
    case 'script-recover': {
      count(2, 'NODE SCRIPT');
      const name = node();
      const script = args[1]!;
      if (!nodes[name]!.scripts.includes(script)) throw new ScenarioError(`${where}: node ${name} has no vrrp_script ${script}${nodes[name]!.scripts.length ? ` (it has ${nodes[name]!.scripts.join(', ')})` : ''}`);
      return { at, kind: verb, node: name, script };
    }
    case 'link-down':
    case 'link-up': {
      count(2, 'NODE INTERFACE');
      const name = node();
      const ifname = args[1]!;
      if (!nodes[name]!.interfaces.includes(ifname)) throw new ScenarioError(`${where}: node ${name} uses no interface ${ifname} (it uses ${nodes[name]!.interfaces.join(', ') || 'none'})`);
      return { at, kind: verb, node: name, ifname };
    }
    case 'partition': {
      const groups = groupsOf(rest);
      for (const g of groups) for (const n of g) if (!nodes[n]) throw new ScenarioError(`${where}: no node ${n} (nodes: ${Object.keys(nodes).join(', ')})`);
      const listed = groups.flat();
      if (groups.length < 2 || groups.some((g) => !g.length) || new Set(listed).size !== listed.length) throw new ScenarioError(`${where}: expected partition [A,B] [C]: two or more groups of distinct nodes`);
      return { at, kind: 'partition', groups };
    }
    case 'heal':
      count(0, 'with nothing after it');
      return { at, kind: 'heal' };
    case 'loss': {
      count(1, 'P (0..1 or a percentage)');
      const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(args[0]!);
      const share = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
      if (!(share >= 0 && share <= 1)) throw new ScenarioError(`${where}: loss needs a share between 0 and 1 or a percentage, got ${args[0]}`);
      return { at, kind: 'loss', share };
    }
    case 'file': {
      count(3, 'NODE PATH VALUE');
      const name = node();
      if (!nodes[name]!.files.includes(args[1]!)) throw new ScenarioError(`${where}: node ${name} tracks no file ${args[1]}${nodes[name]!.files.length ? ` (it tracks ${nodes[name]!.files.join(', ')})` : ''}`);
      const value = Number(args[2]);
      if (!Number.isInteger(value)) throw new ScenarioError(`${where}: file needs an integer value, got ${args[2]}`);
      return { at, kind: 'file', node: name, path: args[1]!, value };
    }
  }
}

/** One entry of the list: `TIME VERB ARGS...` or `{at: TIME, VERB: ARGS}` (ARGS a string or a list). */
function entryOf(entry: unknown, nodes: ScenarioNodes, where: string): SimEvent {
  let at: number;
  let verb: string;
  let rest: string;
  if (typeof entry === 'string') {
    const m = /^\s*(\S+)\s+(\S+)\s*(.*)$/.exec(entry);
    if (!m) throw new ScenarioError(`${where}: expected "TIME EVENT ARGS", got ${JSON.stringify(entry)}`);
    at = parseTime(m[1], where);
    verb = m[2]!;
    rest = m[3]!;
  } else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const fields = Object.entries(entry as Record<string, unknown>).filter(([k]) => k !== 'at');
    if (!('at' in entry) || fields.length !== 1) throw new ScenarioError(`${where}: expected an object with "at" and one event, such as {at: 5s, crash: lb1}`);
    at = parseTime((entry as { at: unknown }).at, where);
    const [name, value] = fields[0]!;
    verb = name;
    if (Array.isArray(value)) rest = value.map((v) => (Array.isArray(v) ? `[${v.join(',')}]` : String(v))).join(' ');
    else rest = value === null || value === true ? '' : String(value);
  } else {
    throw new ScenarioError(`${where}: expected "TIME EVENT ARGS" or {at: TIME, EVENT: ARGS}`);
  }
  if (!(VERBS as readonly string[]).includes(verb)) throw new ScenarioError(`${where}: unknown event ${verb} (events: ${VERBS.join(', ')})`);
  return eventOf(verb as Verb, at, rest.split(/\s+/).filter(Boolean), rest, nodes, where);
}

/** Checks that the events make sense in order: no crash of a node that is down, no start of one that runs. */
function checkSequence(events: readonly SimEvent[], nodes: ScenarioNodes): void {
  const down = initiallyDown(events);
  const up = new Map(Object.keys(nodes).map((n) => [n, !down.has(n)]));
  for (const e of events) {
    if (!('node' in e)) continue;
    const at = `at ${e.at} ms`;
    if ((e.kind === 'crash' || e.kind === 'stop') && !up.get(e.node)) throw new ScenarioError(`${at}: ${e.kind} ${e.node}, which is not running (start or restart it first)`);
    if (e.kind === 'start' && up.get(e.node) && events.indexOf(e) !== events.findIndex((x) => 'node' in x && x.node === e.node)) throw new ScenarioError(`${at}: start ${e.node}, which is already running (restart restarts it)`);
    if (e.kind === 'crash' || e.kind === 'stop') up.set(e.node, false);
    if (e.kind === 'start' || e.kind === 'restart') up.set(e.node, true);
  }
}

export function parseScenario(text: string, nodes: ScenarioNodes): Scenario {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new ScenarioError(`not YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const settings = Array.isArray(data) ? { events: data } : data && typeof data === 'object' ? (data as Record<string, unknown>) : undefined;
  if (!settings || !Array.isArray(settings['events'])) throw new ScenarioError('expected a list of events, or an object with an "events" list');
  const known = new Set(['events', 'duration', 'delay', 'seed', 'segments', 'max-failover']);
  for (const key of Object.keys(settings)) if (!known.has(key)) throw new ScenarioError(`unknown setting ${key} (settings: ${[...known].join(', ')})`);
  const events = (settings['events'] as unknown[]).map((e, i) => entryOf(e, nodes, `event ${i + 1}`));
  events.sort((a, b) => a.at - b.at);
  checkSequence(events, nodes);
  const scenario: Scenario = { events };
  if (settings['duration'] !== undefined) scenario.duration = parseTime(settings['duration'], 'duration');
  if (settings['delay'] !== undefined) scenario.delayMs = parseTime(settings['delay'], 'delay');
  if (settings['max-failover'] !== undefined) scenario.maxFailoverMs = parseTime(settings['max-failover'], 'max-failover');
  if (settings['seed'] !== undefined) {
    if (!Number.isInteger(settings['seed'])) throw new ScenarioError('seed: expected an integer');
    scenario.seed = settings['seed'] as number;
  }
  if (settings['segments'] !== undefined) {
    const segments = settings['segments'];
    if (!segments || typeof segments !== 'object' || Object.values(segments).some((v) => typeof v !== 'string')) throw new ScenarioError('segments: expected a map of NODE:INTERFACE to a segment name');
    for (const key of Object.keys(segments)) {
      const [node, ifname] = key.split(':');
      if (!node || !ifname || !nodes[node]) throw new ScenarioError(`segments: ${key} is not NODE:INTERFACE of a known node`);
    }
    scenario.segments = segments as Record<string, string>;
  }
  return scenario;
}
