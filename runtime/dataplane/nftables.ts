/**
 * The load-balancing dataplane on nftables, for hosts without IPVS: the
 * translator's ruleset (translate/lvs-rules.ts) built from the live state.
 * The first apply replaces kalint's tables in one transaction; later ones
 * rewrite, in one transaction, only the chains, persistence maps and dispatch
 * entries of the services that changed, so that the other services keep
 * their rules, round-robin positions and persistent clients.
 */
import { spawn } from 'node:child_process';
import { nftDelete, type NftLvsOptions, nftRuleset, nftUpdate, type ServiceRules, serviceRules } from '../../translate/lvs-rules.ts';
import { type Dataplane, diffStates, type ServiceState, type VirtualService } from './types.ts';

export interface NftablesDataplaneOptions {
  /** The name of the inet and netdev tables; kalint_lvs by default. */
  table?: string;
  /** Runs one `nft -f` transaction; `nftRunner()` by default. */
  nft?: (rules: string) => Promise<void>;
  /** The interface a direct-routing service's traffic arrives and leaves on (eth0, with a warning, when undefined). */
  device?: (service: VirtualService) => string | undefined;
  /** Receives what nftables approximates (schedulers, persistence), once per service and change. */
  warn?: (message: string) => void;
}

/** Runs `command -f -` with the rules on stdin, without blocking the event loop; rejects with nft's own words. */
export function nftRunner(command: readonly string[] = ['nft']): (rules: string) => Promise<void> {
  return (rules) =>
    new Promise((resolve, reject) => {
      const child = spawn(command[0]!, [...command.slice(1), '-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(stderr.trim() || `nft exited with ${code}`))));
      // A failed nft may close its stdin before reading everything; its exit status tells what happened.
      child.stdin.on('error', () => {});
      child.stdin.end(rules);
    });
}

export class NftablesDataplane implements Dataplane {
  readonly name = 'nftables';
  private readonly nft: (rules: string) => Promise<void>;
  private readonly rulesOptions: NftLvsOptions<VirtualService>;
  /** What the kernel holds, by service id; undefined until a first apply succeeds. */
  private applied: { states: ServiceState[]; rules: Map<string, ServiceRules> } | undefined;
  private touched = false;
  /** Applies and close run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: NftablesDataplaneOptions = {}) {
    this.nft = options.nft ?? nftRunner();
    this.rulesOptions = { table: options.table, device: options.device };
  }

  apply(state: ServiceState[]): Promise<void> {
    return this.serialize(() => this.bringTo(structuredClone(state)));
  }

  close(): Promise<void> {
    return this.serialize(async () => {
      if (!this.touched) return;
      await this.nft(nftDelete(this.rulesOptions));
      this.applied = undefined;
      this.touched = false;
    });
  }

  private serialize(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => {});
    return run;
  }

  private async bringTo(states: ServiceState[]): Promise<void> {
    this.touched = true;
    const previous = this.applied;
    const rules = new Map(previous?.rules);
    let compiled: ServiceRules[];
    let text: string;
    if (!previous) {
      compiled = states.map((s) => serviceRules(s, this.rulesOptions));
      for (const r of compiled) rules.set(r.id, r);
      text = nftRuleset(compiled, this.rulesOptions);
    } else {
      const changed = new Set(diffStates(previous.states, states).map((op) => op.service.id));
      compiled = states.filter((s) => changed.has(s.service.id)).map((s) => serviceRules(s, this.rulesOptions));
      for (const id of changed) rules.delete(id);
      for (const r of compiled) rules.set(r.id, r);
      text = nftUpdate(previous.rules, rules, changed, this.rulesOptions);
    }
    if (text) await this.nft(text);
    this.applied = { states, rules };
    for (const r of compiled) {
      const before = previous?.rules.get(r.id)?.warnings ?? [];
      for (const message of r.warnings) if (!before.includes(message)) this.options.warn?.(message);
    }
  }
}
