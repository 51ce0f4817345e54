/**
 * Tracked scripts and what they do to an instance (reference §5.6): a
 * vrrp_script runs every `interval`, counts as failed on a non-zero exit or
 * after `timeout`, and changes state after `rise` successes or `fall`
 * failures in a row. An instance's effective priority is its base plus the
 * weights of its trackers, between 1 and 254; a weight-0 tracker that fails
 * puts it in FAULT. Time and process spawning are injected, as for the state
 * machine.
 */
import { existsSync, type FSWatcher, watch, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Block } from '../grammar/ast.ts';
import { lastStatement, type model, valueOf } from '../grammar/index.ts';
import { readTrackFile } from './check/file.ts';
import type { Clock, Timer } from './clock.ts';
import { commandOf, type ScriptCommand, type ScriptPolicy, type ScriptRunner } from './scripts.ts';

export interface ScriptSpec {
  name: string;
  command: ScriptCommand;
  intervalMs: number;
  timeoutMs: number;
  rise: number;
  fall: number;
  initFail: boolean;
}

/** A vrrp_script block's timing as keepalived takes it: interval (1 s), timeout (the interval), rise and fall (1). */
export function scriptTimingOf(block: Block): Pick<ScriptSpec, 'intervalMs' | 'timeoutMs' | 'rise' | 'fall' | 'initFail'> {
  const seconds = (keyword: string, fallback: number) => {
    const v = valueOf(block, keyword);
    return typeof v === 'number' ? v * 1000 : fallback;
  };
  const intervalMs = seconds('interval', 1000);
  const count = (keyword: string) => {
    const v = valueOf(block, keyword);
    return typeof v === 'number' && v >= 1 ? v : 1;
  };
  return { intervalMs, timeoutMs: seconds('timeout', intervalMs), rise: count('rise'), fall: count('fall'), initFail: valueOf(block, 'init_fail') === true };
}

/** A vrrp_script block as keepalived runs it: its command, as its `user` or the policy's default user, and its timing. */
export function scriptSpecOf(block: Block, policy: ScriptPolicy, log: (line: string) => void = () => {}): ScriptSpec | undefined {
  const command = commandOf(lastStatement(block, 'script'), policy, log, lastStatement(block, 'user'));
  if (!command) return undefined;
  return { name: block.name ?? '?', command, ...scriptTimingOf(block) };
}

/** One vrrp_script, run every interval; `onChange` hears when it goes up or down. */
export class ScriptMonitor {
  up: boolean;
  private streak = 0;
  private timer?: Timer;
  private started = false;
  private stopped = false;

  constructor(
    readonly spec: ScriptSpec,
    private readonly clock: Clock,
    private readonly runner: ScriptRunner,
    private readonly onChange: (up: boolean) => void,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.up = !spec.initFail;
  }

  /** Starts running the script; a second call does nothing. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimer(ms, () => {
      const ok = this.runner(this.spec.command, this.spec.timeoutMs);
      if (typeof ok === 'boolean') this.result(ok);
      else void ok.then((answer) => this.result(answer));
    });
  }

  private result(ok: boolean): void {
    if (this.stopped) return;
    if (ok === this.up) this.streak = 0;
    else if (++this.streak >= (ok ? this.spec.rise : this.spec.fall)) {
      this.up = ok;
      this.streak = 0;
      this.log(`VRRP_Script(${this.spec.name}) ${ok ? 'succeeded' : 'failed'}`);
      this.onChange(ok);
    }
    this.schedule(this.spec.intervalMs);
  }
}

/** What a tracker in state `up` adds to the priority, or 'fault' (§5.6). */
export function contribution(t: Pick<model.Tracker, 'weight' | 'reverse'>, up: boolean): number | 'fault' {
  if (t.weight === 0) return up !== t.reverse ? 0 : 'fault';
  const sign = t.reverse ? -1 : 1;
  if (t.weight > 0) return up ? sign * t.weight : 0;
  return up ? 0 : sign * t.weight;
}

/** The effective priority from a base and the contributions, or 'fault'. */
export function effectivePriority(base: number, contributions: readonly (number | 'fault')[]): number | 'fault' {
  if (contributions.includes('fault')) return 'fault';
  if (base === 255) return 255;
  const sum = contributions.reduce<number>((a, c) => a + (c as number), base);
  return Math.min(254, Math.max(1, sum));
}

/** A track_file: the number in a file (read as keepalived's strtol(…, 0)), at start and whenever the file changes (keepalived uses inotify). */
export class FileMonitor {
  value = 0;
  private watcher?: FSWatcher;

  constructor(
    readonly path: string,
    private readonly onChange: (value: number) => void,
  ) {}

  /** Reads the file, creating it first with `init` (init_file) when missing or when `overwrite`. */
  start(init?: { value: number; overwrite: boolean }): void {
    if (init && (init.overwrite || !existsSync(this.path))) writeFileSync(this.path, `${init.value}\n`);
    // A number keepalived refuses (outside 32 bits) leaves the value as it was.
    this.value = readTrackFile(this.path) ?? 0;
    // The directory, not the file: the file may be replaced (written by rename) or not exist yet.
    this.watcher = watch(dirname(this.path), (_, name) => {
      if (name !== basename(this.path)) return;
      const value = readTrackFile(this.path);
      if (value === undefined || value === this.value) return;
      this.value = value;
      this.onChange(value);
    });
  }

  stop(): void {
    this.watcher?.close();
  }
}

/** A track_file's contribution (reference §5.6): value × weight; weight 0 faults on a non-zero value; below −253 faults; above 253 capped. */
export function fileContribution(t: Pick<model.Tracker, 'weight' | 'reverse'>, value: number): number | 'fault' {
  if (t.weight === 0) return value !== 0 ? 'fault' : 0;
  const product = value * t.weight * (t.reverse ? -1 : 1);
  if (product < -253) return 'fault';
  return Math.min(253, product);
}
