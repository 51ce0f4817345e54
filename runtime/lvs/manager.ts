/**
 * The checker side of `kalint run`: a pool per virtual server, fed by its
 * checkers, and one dataplane that is given the whole table after every
 * change (coalesced: a burst of results is one update). Notifications go out
 * as keepalived's checker sends them: notify_up/notify_down and
 * quorum_up/quorum_down scripts, `RS …`/`VS …` lines on notify_fifo and
 * lvs_notify_fifo, e-mail alerts.
 */
import type { Node } from '../../grammar/ast.ts';
import type { Dataplane, ServiceState } from '../dataplane/types.ts';
import type { Metrics } from '../metrics.ts';
import type { ScriptCommand } from '../scripts.ts';
import type { RunVirtualServer } from './config.ts';
import { Pool, type PoolEvent } from './pool.ts';

/** One checker of a real server, as the manager drives it. */
export interface CheckerHandle {
  alpha: boolean;
  /** keepalived's name for its alert text, e.g. `TCP CHECK`. */
  name: string;
  /** Starts checking: `report` gets each verdict (after retries), `weight` each dynamic weight, `attempt` every attempt's result. */
  start(report: (up: boolean) => void, weight: (weight: number) => void, attempt: (up: boolean) => void): void;
  stop(): void;
}

export interface LvsEffects {
  log(line: string): void;
  script(command: ScriptCommand): void;
  /** A line for notify_fifo and lvs_notify_fifo. */
  fifo(line: string): void;
  /** An e-mail alert, when smtp_server is set; the subject without its `[router_id]` prefix. */
  mail(subject: string, body: string): void;
  metrics?: Pick<Metrics, 'serverTransition' | 'check' | 'dataplaneUpdate'>;
}

interface Running {
  spec: RunVirtualServer;
  fingerprint: string;
  pool: Pool;
  checkers: CheckerHandle[][];
}

export interface VirtualServerStatus {
  service: string;
  quorum: boolean;
  realServers: { server: string; alive: boolean; inTable: boolean; weight: number }[];
  /** The sorry server; `alive` while it takes the traffic. */
  sorry?: { server: string; alive: boolean; inTable: boolean; weight: number };
}

export interface DataplaneStatus {
  name: string;
  /** Why the last update failed; absent when it succeeded. */
  error?: string;
}

/** What a block says as keepalived read it (keywords and words, recursively), without positions. */
const signature = (node: Node): unknown[] => [
  node.keyword.text,
  node.words.map((w) => w.text),
  node.type === 'Block' ? node.children.map(signature) : node.type === 'List' ? node.items.map((i) => i.words.map((w) => w.text)) : [],
];

const fingerprintOf = (spec: RunVirtualServer) =>
  JSON.stringify([spec.pool, spec.realServers.map((r) => [signature(r.block), r.alpha, r.notifyUp, r.notifyDown, r.smtpAlert]), spec.quorumUp, spec.quorumDown, spec.smtpAlert]);

export class Lvs {
  private running: Running[] = [];
  private chain: Promise<void> = Promise.resolve();
  private pending = false;
  private lastError?: string;
  /** Whether the dataplane was ever given a service: until then an empty table needs no update. */
  private used = false;

  constructor(
    private readonly dataplane: Dataplane,
    private readonly effects: LvsEffects,
    private readonly checkersFor: (vs: RunVirtualServer, server: number) => CheckerHandle[],
  ) {}

  /** Takes a configuration's virtual servers: unchanged ones keep running, the rest start afresh. */
  configure(servers: RunVirtualServer[]): void {
    const kept = new Map(this.running.map((r) => [r.fingerprint, r]));
    const next: Running[] = [];
    for (const spec of servers) {
      const fingerprint = fingerprintOf(spec);
      const old = kept.get(fingerprint);
      if (old) {
        kept.delete(fingerprint);
        next.push(old);
        continue;
      }
      next.push(this.launch(spec, fingerprint));
    }
    for (const gone of kept.values()) this.halt(gone);
    this.running = next;
    this.schedule();
  }

  /** Stops every checker, empties the pools (omega notifications) and removes what the dataplane added. */
  async stop(): Promise<void> {
    for (const r of this.running.splice(0)) this.halt(r);
    this.schedule();
    await this.settled();
    if (this.used) await this.dataplane.close();
  }

  /** Resolves once the dataplane has the latest table. */
  async settled(): Promise<void> {
    for (;;) {
      const chain = this.chain;
      await chain;
      if (chain === this.chain && !this.pending) return;
    }
  }

  state(): ServiceState[] {
    return this.running.map((r) => r.pool.state());
  }

  status(): VirtualServerStatus[] {
    return this.running.map((r) => {
      const out: VirtualServerStatus = {
        service: r.pool.label,
        quorum: r.pool.hasQuorum,
        realServers: r.pool.report().map((s) => ({ server: s.label, alive: s.alive, inTable: s.inTable, weight: s.weight })),
      };
      const sorry = r.pool.sorryReport();
      if (sorry) out.sorry = { server: sorry.label, alive: sorry.alive, inTable: sorry.inTable, weight: sorry.weight };
      return out;
    });
  }

  dataplaneStatus(): DataplaneStatus {
    return this.lastError === undefined ? { name: this.dataplane.name } : { name: this.dataplane.name, error: this.lastError };
  }

  private launch(spec: RunVirtualServer, fingerprint: string): Running {
    const checkers = spec.realServers.map((_, i) => this.checkersFor(spec, i));
    const servers = spec.pool.servers.map((s, i) => ({ ...s, checkers: checkers[i]!.map((c) => ({ alpha: c.alpha })) }));
    const running: Running = { spec, fingerprint, checkers, pool: undefined as unknown as Pool };
    running.pool = new Pool({ ...spec.pool, servers }, (event) => this.event(running, event));
    running.pool.start();
    checkers.forEach((list, server) =>
      list.forEach((checker, index) =>
        checker.start(
          (up) => {
            const { pool } = running;
            const version = pool.version;
            const alive = pool.isAlive(server);
            pool.checkerResult(server, index, up);
            if (spec.realServers[server]!.smtpAlert && alive !== pool.isAlive(server)) this.mailServer(running, server, checker.name, up);
            if (version !== pool.version) this.schedule();
          },
          (weight) => {
            const version = running.pool.version;
            running.pool.setWeight(server, weight);
            if (version !== running.pool.version) this.schedule();
          },
          (up) => this.effects.metrics?.check(running.pool.label, running.pool.serverLabel(server), checker.name, up),
        ),
      ),
    );
    return running;
  }

  private halt(r: Running): void {
    for (const list of r.checkers) for (const checker of list) checker.stop();
    r.pool.stop();
  }

  private event(r: Running, event: PoolEvent): void {
    const vs = r.pool.label;
    switch (event.type) {
      case 'log':
        this.effects.log(event.text);
        return;
      case 'server': {
        const rs = r.spec.realServers[event.server]!;
        const script = event.up ? rs.notifyUp : rs.notifyDown;
        if (script) this.effects.script(script);
        const label = r.pool.serverLabel(event.server);
        this.effects.fifo(`RS ${label} ${vs} ${event.up ? 'UP' : 'DOWN'}\n`);
        this.effects.metrics?.serverTransition(vs, label, event.up);
        if (event.stopping && rs.smtpAlert) this.effects.mail(this.subject(r, event.server, 'DOWN'), '=> Shutting down <=');
        return;
      }
      case 'quorum': {
        const script = event.up ? r.spec.quorumUp : r.spec.quorumDown;
        if (script) this.effects.script(script);
        this.effects.fifo(`VS ${vs} ${event.up ? 'UP' : 'DOWN'}\n`);
        if (r.spec.smtpAlert) this.effects.mail(`Virtualserver ${vs} - ${event.up ? 'UP' : 'DOWN'}`, event.message);
        return;
      }
    }
  }

  private subject(r: Running, server: number, state: 'UP' | 'DOWN'): string {
    return `Realserver ${r.pool.serverLabel(server)} of virtual server ${r.pool.label} - ${state}`;
  }

  /** The checkers' own alert on a verdict that changed the server's state (check_tcp.c and friends). */
  private mailServer(r: Running, server: number, name: string, up: boolean): void {
    this.effects.mail(this.subject(r, server, up ? 'UP' : 'DOWN'), `=> ${name} ${up ? 'succeed' : 'failed'} on service <=`);
  }

  /** One dataplane update after the current burst of results; updates never overlap. */
  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    this.chain = this.chain.then(async () => {
      this.pending = false;
      const state = this.state();
      if (!state.length && !this.used) return;
      if (!this.used) this.effects.log(`Using the ${this.dataplane.name} dataplane`);
      this.used = true;
      const started = performance.now();
      try {
        await this.dataplane.apply(state);
        this.lastError = undefined;
      } catch (e) {
        this.lastError = (e as Error).message;
        this.effects.log(`${this.dataplane.name}: ${this.lastError}`);
      }
      this.effects.metrics?.dataplaneUpdate(this.dataplane.name, this.lastError === undefined, (performance.now() - started) / 1000);
    });
  }
}
