/**
 * One virtual server's pool as keepalived's checker process keeps it
 * (check/ipwrapper.c of 2.2.7): which real servers are alive, which are in
 * the kernel's table and with what weight, the quorum with its hysteresis,
 * the sorry server, inhibit_on_failure, and the notifications each change
 * gives. The IPVS commands keepalived would send are replayed on a model of
 * the kernel's table (`ipvs_cmd`), so `state()` is exactly the table
 * keepalived would leave; the dataplane brings the kernel there.
 *
 * Pure: checkers report through `checkerResult` and `setWeight`, and the
 * pool answers with events and a new state, so it runs in virtual time too.
 */
import type { Destination, Forwarding, ServiceState, VirtualService } from '../dataplane/types.ts';

/** IPVS_WEIGHT_LIMIT: real_weight() clamps to 0..this. */
const WEIGHT_LIMIT = 2147483647;

export interface PoolServerSpec {
  address: string;
  port: number;
  forwarding: Forwarding;
  /** The configured weight, where the effective weight starts. */
  weight: number;
  inhibit: boolean;
  upperThreshold: number;
  lowerThreshold: number;
  /** alpha of each checker: a checker in alpha mode starts failed. */
  checkers: { alpha: boolean }[];
}

export interface PoolSpec {
  service: VirtualService;
  /** keepalived's `[addr]:proto:port` or `FWM n` (format_vs). */
  label: string;
  servers: PoolServerSpec[];
  sorry?: Omit<PoolServerSpec, 'checkers'>;
  quorum: number;
  hysteresis: number;
  omega: boolean;
}

export type PoolEvent =
  | { type: 'log'; text: string }
  /** A real server went up or down: notify_up/notify_down, the FIFO's RS line. */
  | { type: 'server'; server: number; up: boolean; stopping: boolean }
  /** The quorum was gained or lost: quorum_up/quorum_down, the FIFO's VS line, smtp_alert. */
  | { type: 'quorum'; up: boolean; stopping: boolean; message: string };

interface ServerState {
  spec: Omit<PoolServerSpec, 'checkers'>;
  label: string;
  effectiveWeight: number;
  alive: boolean;
  /** In the kernel's table (rs->set). */
  set: boolean;
  failedCheckers: number;
  checkers: { up: boolean; hasRun: boolean }[];
}

const realWeight = (w: number) => Math.min(Math.max(w, 0), WEIGHT_LIMIT);

/** inet_sockaddrtotrio: `[addr]:tcp:port`. */
export const trio = (address: string, protocol: string, port: number) => `[${address}]:${protocol}:${port}`;

export class Pool {
  private readonly servers: ServerState[];
  private readonly sorry: ServerState | undefined;
  private quorumUp = false;
  private readonly table = new Map<string, Destination>();
  /** Counts the table's changes, so that callers can tell whether a result changed it. */
  private tableVersion = 0;

  constructor(
    private readonly spec: PoolSpec,
    private readonly emit: (event: PoolEvent) => void,
  ) {
    const state = (s: Omit<PoolServerSpec, 'checkers'>, checkers: { alpha: boolean }[]): ServerState => ({
      spec: s,
      label: trio(s.address, spec.service.protocol, s.port),
      effectiveWeight: s.weight,
      alive: false,
      set: false,
      failedCheckers: checkers.filter((c) => c.alpha).length,
      checkers: checkers.map((c) => ({ up: !c.alpha, hasRun: false })),
    });
    this.servers = spec.servers.map((s) => state(s, s.checkers));
    this.sorry = spec.sorry && state(spec.sorry, []);
  }

  get label(): string {
    return this.spec.label;
  }

  /** init_service_vs on a fresh start: servers without failed checkers go in, then the quorum is settled. */
  start(): void {
    for (const rs of this.servers) {
      if ((!rs.failedCheckers && !rs.alive) || (rs.spec.inhibit && !rs.set)) {
        this.ipvs('add', rs);
        if (!rs.failedCheckers) rs.alive = true;
      }
    }
    this.updateQuorum(true);
    const sorry = this.sorry;
    if (sorry?.spec.inhibit && !sorry.set) {
      // Added at weight 0 until the quorum is lost, as keepalived does with a faked failed checker.
      sorry.failedCheckers = 1;
      this.ipvs('add', sorry);
      sorry.failedCheckers = 0;
    }
  }

  /** update_svr_checker_state: checker `checker` of real server `server` passed or failed. */
  checkerResult(server: number, checker: number, alive: boolean): void {
    const rs = this.servers[server]!;
    const c = rs.checkers[checker]!;
    if (c.up === alive) {
      if (!c.hasRun) {
        if (!alive || this.spec.servers[server]!.checkers[checker]!.alpha) this.emit({ type: 'server', server, up: rs.alive, stopping: false });
        c.hasRun = true;
      }
      return;
    }
    c.hasRun = true;
    if (alive ? rs.failedCheckers <= 1 : rs.failedCheckers === 0) this.performServerState(server, alive);
    c.up = alive;
    if (!alive) rs.failedCheckers++;
    else if (rs.failedCheckers) rs.failedCheckers--;
  }

  /** update_svr_wgt: a dynamic weight (MISC_CHECK misc_dynamic, FILE_CHECK). */
  setWeight(server: number, weight: number): void {
    const rs = this.servers[server]!;
    const before = realWeight(rs.effectiveWeight);
    rs.effectiveWeight = weight;
    const after = realWeight(weight);
    if (before === after) return;
    this.log(`Changing weight from ${before} to ${after} for ${rs.alive ? '' : 'in'}active service ${rs.label} of VS ${this.label}`);
    if (rs.set && rs.alive && this.poolServesRealServers()) this.ipvs('edit', rs);
    this.updateQuorum(false);
  }

  /** clear_service_vs on shutdown: everything leaves the table; down notifications only with omega. */
  stop(): void {
    const sorry = this.sorry;
    if (sorry?.set) {
      this.ipvs('delete', sorry, true);
      sorry.alive = false;
    }
    for (const [i, rs] of this.servers.entries()) {
      this.log(`Shutting down ${rs.spec.inhibit && !rs.alive ? '(inhibited) ' : ''}service ${rs.label} from VS ${this.label}`);
      if (!rs.set) continue;
      this.ipvs('delete', rs, true);
      if (!rs.alive) continue;
      rs.alive = false;
      if (this.spec.omega) this.emit({ type: 'server', server: i, up: false, stopping: true });
    }
    if (this.spec.omega) {
      this.quorumUp = false;
      this.emit({ type: 'quorum', up: false, stopping: true, message: '=> Shutting down <=' });
    }
  }

  /** The kernel table keepalived would have now. */
  state(): ServiceState {
    return { service: this.spec.service, destinations: [...this.table.values()] };
  }

  get hasQuorum(): boolean {
    return this.quorumUp;
  }

  get version(): number {
    return this.tableVersion;
  }

  isAlive(server: number): boolean {
    return this.servers[server]!.alive;
  }

  serverLabel(server: number): string {
    return this.servers[server]!.label;
  }

  /** Per real server: alive, in the table, effective weight; for status. */
  report(): { label: string; alive: boolean; inTable: boolean; weight: number }[] {
    return this.servers.map((rs) => ({ label: rs.label, alive: rs.alive, inTable: rs.set, weight: realWeight(rs.effectiveWeight) }));
  }

  /** The sorry server: whether it serves (alive) and its weight in the table, if it is there. */
  sorryReport(): { label: string; alive: boolean; inTable: boolean; weight: number } | undefined {
    const sorry = this.sorry;
    if (!sorry) return undefined;
    return { label: sorry.label, alive: sorry.alive, inTable: sorry.set, weight: this.table.get(`${sorry.spec.address}|${sorry.spec.port}`)?.weight ?? 0 };
  }

  private poolServesRealServers(): boolean {
    return this.quorumUp || !this.sorry || !this.sorry.alive;
  }

  private liveWeight(): number {
    let sum = 0;
    for (const rs of this.servers) if (rs.alive) sum += realWeight(rs.effectiveWeight);
    return sum;
  }

  /** perform_svr_state */
  private performServerState(server: number, alive: boolean): void {
    const rs = this.servers[server]!;
    if (rs.alive === alive) return;
    const inhibit = rs.spec.inhibit;
    const verb = alive ? (inhibit ? 'Enabl' : 'Add') : inhibit ? 'Disabl' : 'Remov';
    this.log(`${verb}ing service ${rs.label} ${inhibit ? 'of' : alive ? 'to' : 'from'} VS ${this.label}`);
    if (this.poolServesRealServers()) this.ipvs(alive ? 'add' : 'delete', rs);
    rs.alive = alive;
    this.emit({ type: 'server', server, up: alive, stopping: false });
    this.updateQuorum(false);
  }

  /** update_quorum_state */
  private updateQuorum(init: boolean): void {
    const { quorum, hysteresis } = this.spec;
    const weight = this.liveWeight();
    const threshold = quorum + (this.quorumUp ? -1 : 1) * hysteresis;
    const sorry = this.sorry;
    if (!this.quorumUp && weight >= threshold) {
      this.quorumUp = true;
      this.log(`Gained quorum ${quorum}+${hysteresis}=${threshold} <= ${weight} for VS ${this.label}`);
      if (sorry?.alive) {
        this.log(`${sorry.spec.inhibit ? 'Disabling' : 'Removing'} sorry server ${sorry.label} from VS ${this.label}`);
        this.ipvs('delete', sorry);
        sorry.alive = false;
        this.moveAliveServers(true);
      }
      this.quorumEvent(init, threshold, weight);
    } else if ((this.quorumUp && (!weight || weight < threshold)) || (init && !this.quorumUp && sorry && !sorry.alive)) {
      this.quorumUp = false;
      this.log(`${init ? 'Starting with quorum down' : 'Lost quorum'} ${quorum}-${hysteresis}=${threshold} > ${weight} for VS ${this.label}`);
      if (sorry && !sorry.alive) {
        this.log(`${sorry.spec.inhibit ? 'Enabling' : 'Adding'} sorry server ${sorry.label} to VS ${this.label}`);
        this.moveAliveServers(false);
        this.ipvs('add', sorry);
        sorry.alive = true;
      }
      this.quorumEvent(init, threshold, weight);
    }
  }

  private quorumEvent(init: boolean, threshold: number, weight: number): void {
    const what = this.quorumUp ? (init ? 'Starting with quorum up' : 'Gained quorum') : init ? 'Starting with quorum down' : 'Lost quorum';
    this.emit({ type: 'quorum', up: this.quorumUp, stopping: false, message: `=> ${what} ${this.spec.quorum}+${this.spec.hysteresis}=${threshold} <= ${weight} <=` });
  }

  /** perform_quorum_state: the alive real servers go back into, or out of, the table. */
  private moveAliveServers(add: boolean): void {
    this.log(`${add ? 'Adding alive servers to' : 'Removing alive servers from'} the pool for VS ${this.label}`);
    for (const rs of this.servers) {
      if (!rs.alive) continue;
      if (add) rs.alive = false;
      this.ipvs(add ? 'add' : 'delete', rs);
      rs.alive = true;
    }
  }

  /** ipvs_cmd for destinations, on the table model; `force` is clear_service_rs's removal despite inhibit. */
  private ipvs(cmd: 'add' | 'delete' | 'edit', rs: ServerState, force = false): void {
    const inhibit = rs.spec.inhibit && !force;
    let weight = realWeight(rs.effectiveWeight);
    if (cmd === 'delete' && inhibit) {
      weight = 0;
      cmd = 'edit';
    } else if (cmd === 'add' && inhibit && rs.set) {
      cmd = 'edit';
    } else if (cmd === 'add' && !rs.set) {
      rs.set = true;
      if (inhibit && rs.failedCheckers) weight = 0;
    } else if (cmd === 'delete' && rs.set) {
      rs.set = false;
    }
    const key = `${rs.spec.address}|${rs.spec.port}`;
    if (cmd === 'delete') {
      if (this.table.delete(key)) this.tableVersion++;
      return;
    }
    // The kernel refuses to add what is there (EEXIST) and to edit what is not (ENOENT).
    if ((cmd === 'add') === this.table.has(key)) return;
    this.tableVersion++;
    const destination: Destination = { address: rs.spec.address, port: rs.spec.port, weight, forwarding: rs.spec.forwarding };
    if (rs.spec.upperThreshold) destination.upperThreshold = rs.spec.upperThreshold;
    if (rs.spec.lowerThreshold) destination.lowerThreshold = rs.spec.lowerThreshold;
    this.table.set(key, destination);
  }

  private log(text: string): void {
    this.emit({ type: 'log', text });
  }
}
