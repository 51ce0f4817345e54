/**
 * One simulated machine: what the daemon's Host answers there. Its clock is
 * the simulation's, but its timers die with it when it crashes. Scripts
 * answer at once, failing while the scenario says so; every user exists and
 * every script passes keepalived's checks; tracked files live in memory;
 * nftables and the notify side record instead of acting.
 */
import type { Config } from '../../grammar/ast.ts';
import { blocksOf, lastStatement } from '../../grammar/index.ts';
import type { Clock, Timer, VirtualClock } from '../clock.ts';
import type { Host, NotifierPort, TrackedFile } from '../host.ts';
import type { NotifiedState } from '../notifier.ts';
import { commandArgv, type ScriptCommand } from '../scripts.ts';
import type { SimNetwork } from './network.ts';

/** The simulation's clock as one machine sees it: when the machine dies, so do the timers it set. */
export class MachineClock implements Clock {
  dead = false;

  constructor(private readonly shared: VirtualClock) {}

  now(): number {
    return this.shared.now();
  }

  setTimer(ms: number, callback: () => void): Timer {
    return this.shared.timerFor(this, ms, callback);
  }

  kill(): void {
    this.dead = true;
  }
}

export interface Notification {
  at: number;
  node: string;
  kind: 'instance' | 'group';
  name: string;
  state: NotifiedState;
}

const commandKey = (argv: readonly string[]) => argv.join('\0');

/** The state of one simulated machine that outlives its daemon: failing scripts, file contents, its addresses. */
export class Machine {
  /** vrrp_script names failing now. */
  readonly failing = new Set<string>();
  private readonly files = new Map<string, number>();
  private readonly fileWatchers = new Map<string, Set<(value: number) => void>>();
  /** vrrp_script names by command line: a command fails when any script running it is failing. */
  private scriptsByCommand = new Map<string, string[]>();

  constructor(
    readonly name: string,
    private readonly address: { 4: string; 6: string },
    private readonly network: SimNetwork,
    private readonly notifications: Notification[],
  ) {}

  /** Learns the configuration's scripts (their command lines), as the daemon will run them. */
  learn(config: Config): void {
    this.scriptsByCommand = new Map();
    for (const block of blocksOf(config, 'vrrp_script')) {
      const argv = commandArgv(lastStatement(block, 'script'));
      if (!argv?.length || !block.name) continue;
      const key = commandKey(argv);
      this.scriptsByCommand.set(key, [...(this.scriptsByCommand.get(key) ?? []), block.name]);
    }
  }

  setFile(path: string, value: number): void {
    if (this.files.get(path) === value) return;
    this.files.set(path, value);
    for (const watcher of this.fileWatchers.get(path) ?? []) watcher(value);
  }

  host(clock: Clock): Host {
    const runs = (command: ScriptCommand) => !(this.scriptsByCommand.get(commandKey(command.argv)) ?? []).some((name) => this.failing.has(name));
    return {
      addressOf: (_ifname, family) => this.address[family],
      linkUp: (ifname) => this.network.linkUp(this.name, ifname),
      resolveUser: () => ({ uid: 65534, gid: 65534 }),
      checkScript: (command) => ({ runs: true, command, found: true, insecure: false }),
      runScript: runs,
      trackFile: (path, onChange) => this.trackedFile(path, onChange),
      nft: () => {},
      notifier: () => this.notifier(clock),
    };
  }

  private trackedFile(path: string, onChange: (value: number) => void): TrackedFile {
    const watchers = this.fileWatchers.get(path) ?? new Set();
    this.fileWatchers.set(path, watchers);
    const file: TrackedFile = {
      value: 0,
      start: (init) => {
        if (init && (init.overwrite || !this.files.has(path))) this.files.set(path, init.value);
        file.value = this.files.get(path) ?? 0;
        watchers.add(watch);
      },
      stop: () => watchers.delete(watch),
    };
    const watch = (value: number) => {
      file.value = value;
      onChange(value);
    };
    return file;
  }

  private notifier(clock: Clock): NotifierPort {
    return {
      configure: () => {},
      notify: (kind, name, state) => this.notifications.push({ at: clock.now(), node: this.name, kind, name, state }),
      run: () => {},
      lvsLine: () => {},
      mailAlert: () => {},
      close: () => {},
    };
  }
}
