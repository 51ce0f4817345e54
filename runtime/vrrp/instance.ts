/**
 * The VRRP state machine of one instance, as keepalived runs it
 * (keepalived/vrrp/vrrp.c, vrrp_scheduler.c, vrrp_sync.c; RFC 3768/5798),
 * pure: time comes from a Clock, adverts go out through `send` and come in
 * through `receive` (already checked by packet.ts), transitions are reported
 * to `transition`, which adds and removes the VIPs. The daemon, the tests and
 * the simulator drive the same code.
 *
 * Timers (reference §5.4): Skew_Time is (256 − P)/256 s for v2 and
 * (256 − P) × Master_Adver_Interval / 256 for v3; Master_Down_Interval is
 * down_timer_adverts × Master_Adver_Interval + Skew_Time.
 */
import type { Clock, Timer } from '../clock.ts';
import { type Advert, compareAddresses } from './packet.ts';

export type VrrpState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT' | 'STOP';

export interface InstanceSettings {
  name: string;
  vrid: number;
  version: 2 | 3;
  /** Configured priority; 255 makes the instance the address owner. */
  priority: number;
  advertIntervalMs: number;
  /** The VIPs, in configuration order, as advertised. */
  addresses: string[];
  /** The source address of our adverts, which breaks ties between equal priorities. */
  primaryAddress: string;
  /** `state MASTER`: only an address owner starts as MASTER at once. */
  initialMaster: boolean;
  /** False with an effective `nopreempt`. */
  preempt: boolean;
  preemptDelayMs: number;
  /** `down_timer_adverts` (3). */
  downTimerAdverts: number;
  auth?: Advert['auth'];
}

export interface InstanceEvents {
  send(advert: Advert): void;
  /** State changes, with keepalived's reason; the listener moves the VIPs and runs notify scripts. */
  transition(instance: VrrpInstance, from: VrrpState, to: VrrpState): void;
  /** keepalived's log lines for things that are not transitions. */
  log?(instance: VrrpInstance, message: string): void;
  /** As MASTER, an advert with a lower priority came in (keepalived answers it and may send gratuitous ARPs). */
  lowerPriority?(instance: VrrpInstance): void;
}

export class VrrpInstance {
  state: VrrpState = 'INIT';
  /** The priority in force: the base plus tracker weights (1..254), 255 for an owner. */
  effectivePriority: number;
  /** The master's interval a v3 backup adopts (ms). */
  masterAdverIntervalMs: number;
  /** The current master as last heard (address and priority). */
  master?: { address: string; priority: number };
  /** Sync group this instance belongs to. */
  group?: SyncGroup;
  /** The master-down timer ran out (a sync group member waits for the others). */
  wantsMaster = false;

  private timer?: Timer;
  /** The master-down timer's callback, made once: backups re-arm it on every advert. */
  private readonly onMasterDown = () => this.masterDown();
  private timerDue = 0;
  /** When the clock's timer goes off; the deadline may have moved later since. */
  private timerSetFor = 0;
  private timerCallback?: (() => void) | undefined;
  private faulty = false;
  /** When preempt_delay started counting: the first lower-priority advert since we became BACKUP. */
  private preemptDelayFrom?: number;

  constructor(
    readonly settings: InstanceSettings,
    private readonly clock: Clock,
    private readonly events: InstanceEvents,
  ) {
    this.effectivePriority = settings.priority;
    this.masterAdverIntervalMs = settings.advertIntervalMs;
  }

  get owner(): boolean {
    return this.settings.priority === 255;
  }

  skewTimeMs(): number {
    const p = this.effectivePriority;
    return this.settings.version === 2 ? ((256 - p) * 1000) / 256 : ((256 - p) * this.masterAdverIntervalMs) / 256;
  }

  masterDownIntervalMs(): number {
    return this.settings.downTimerAdverts * this.masterAdverIntervalMs + this.skewTimeMs();
  }

  /** INIT → FAULT when a tracker is already down, MASTER at once for an owner with `state MASTER`, else BACKUP. */
  start(): void {
    if (this.faulty) return this.enter('FAULT');
    this.enter('BACKUP');
    if (this.owner && this.settings.initialMaster) this.arm(0, this.onMasterDown);
    else this.arm(this.masterDownIntervalMs(), this.onMasterDown);
  }

  /** An advert for our VRID that passed the packet checks. */
  receive(advert: Advert, from: string): void {
    if (this.state === 'BACKUP') this.receiveAsBackup(advert, from);
    else if (this.state === 'MASTER') this.receiveAsMaster(advert, from);
  }

  private receiveAsBackup(advert: Advert, from: string): void {
    if (advert.priority === 0) {
      // The master resigns: take over after Skew_Time.
      this.arm(this.skewTimeMs(), this.onMasterDown);
      return;
    }
    const lower = advert.priority < this.effectivePriority;
    if (lower && this.settings.preempt) {
      const now = this.clock.now();
      this.preemptDelayFrom ??= now;
      if (now - this.preemptDelayFrom >= this.settings.preemptDelayMs) {
        this.events.log?.(this, `received lower priority (${advert.priority}) advert from ${from} - discarding`);
        return;
      }
    }
    if (!lower) this.preemptDelayFrom = undefined;
    this.master = { address: from, priority: advert.priority };
    if (this.settings.version === 3) this.masterAdverIntervalMs = advert.intervalCs * 10;
    this.wantsMaster = false;
    this.arm(this.masterDownIntervalMs(), this.onMasterDown);
  }

  private receiveAsMaster(advert: Advert, from: string): void {
    if (advert.priority === 0) {
      this.sendAdvert();
      return;
    }
    const higher = advert.priority > this.effectivePriority || (advert.priority === this.effectivePriority && compareAddresses(from, this.settings.primaryAddress) > 0);
    if (!higher) {
      if (from === this.settings.primaryAddress) return;
      this.sendAdvert();
      this.events.lowerPriority?.(this);
      return;
    }
    this.master = { address: from, priority: advert.priority };
    if (this.settings.version === 3) this.masterAdverIntervalMs = advert.intervalCs * 10;
    this.toBackup();
    this.group?.memberLeftMaster(this);
  }

  /** The master-down timer ran out: MASTER, unless sync group members still wait. */
  private masterDown(): void {
    if (this.state !== 'BACKUP') return;
    this.wantsMaster = true;
    if (this.group && !this.group.allWantMaster()) {
      // keepalived re-checks after an advert interval plus the smallest skew.
      this.arm(this.masterAdverIntervalMs + this.skewTimeMs(), this.onMasterDown);
      return;
    }
    if (this.group) this.group.goMaster();
    else this.becomeMaster();
  }

  /** @internal for SyncGroup */
  becomeMaster(): void {
    if (this.state !== 'BACKUP') return;
    this.enter('MASTER');
    this.preemptDelayFrom = undefined;
    this.master = { address: this.settings.primaryAddress, priority: this.effectivePriority };
    this.sendAdvert();
    this.scheduleAdvert();
  }

  /** @internal for SyncGroup */
  toBackup(): void {
    if (this.state !== 'MASTER' && this.state !== 'FAULT' && this.state !== 'INIT') return;
    this.enter('BACKUP');
    this.wantsMaster = false;
    this.arm(this.masterDownIntervalMs(), this.onMasterDown);
  }

  private scheduleAdvert(): void {
    this.arm(this.settings.advertIntervalMs, () => {
      if (this.state !== 'MASTER') return;
      this.sendAdvert();
      this.scheduleAdvert();
    });
  }

  private sendAdvert(priority = this.effectivePriority): void {
    const advert: Advert = { version: this.settings.version, vrid: this.settings.vrid, priority, intervalCs: Math.round(this.settings.advertIntervalMs / 10), addresses: this.settings.addresses };
    if (this.settings.auth) advert.auth = this.settings.auth;
    this.events.send(advert);
  }

  /** A tracker with weight 0 (or the interface) went down or came back. */
  setFault(faulty: boolean): void {
    if (faulty === this.faulty) return;
    this.faulty = faulty;
    if (this.state === 'INIT' || this.state === 'STOP') return;
    if (faulty) {
      this.toFault();
      this.group?.memberFault(this);
    } else if (!this.group || this.group.faultsCleared()) {
      if (this.group) this.group.leaveFault();
      else this.leaveFault();
    }
  }

  get isFaulty(): boolean {
    return this.faulty;
  }

  /** @internal for SyncGroup */
  toFault(): void {
    if (this.state === 'FAULT' || this.state === 'STOP') return;
    if (this.state === 'MASTER') this.sendAdvert(0);
    this.cancelTimer();
    this.wantsMaster = false;
    this.enter('FAULT');
  }

  /** @internal for SyncGroup */
  leaveFault(): void {
    if (this.state !== 'FAULT') return;
    this.enter('BACKUP');
    const owner = this.owner && this.settings.initialMaster;
    this.arm(owner ? this.masterAdverIntervalMs + this.skewTimeMs() : this.masterDownIntervalMs(), this.onMasterDown);
  }

  /** Tracker weights changed the effective priority: the running backup timer is shifted to the new interval. */
  setEffectivePriority(priority: number): void {
    if (this.owner || priority === this.effectivePriority) return;
    const before = this.masterDownIntervalMs();
    this.events.log?.(this, `Changing effective priority from ${this.effectivePriority} to ${priority}`);
    this.effectivePriority = priority;
    if (this.state === 'BACKUP' && this.timer && !this.wantsMaster) {
      const remaining = this.timerDue - this.clock.now() + this.masterDownIntervalMs() - before;
      this.arm(remaining, this.onMasterDown);
    }
  }

  /** Shutdown: a MASTER resigns with a priority-0 advert. */
  stop(): void {
    if (this.state === 'MASTER') this.sendAdvert(0);
    this.cancelTimer();
    this.enter('STOP');
  }

  private enter(to: VrrpState): void {
    const from = this.state;
    if (from === to) return;
    this.state = to;
    this.events.transition(this, from, to);
  }

  /**
   * The one timer of the instance, due `ms` from now. A backup re-arms it on every advert, always later than before:
   * then the clock's timer stays and only the deadline moves, and the timer, when it comes, waits out the rest.
   * This keeps the clock's work per advert constant, which the simulator's large clusters need.
   */
  private arm(ms: number, callback: () => void): void {
    const due = this.clock.now() + ms;
    this.timerDue = due;
    this.timerCallback = callback;
    if (this.timer && this.timerSetFor <= due) return;
    this.timer?.cancel();
    this.setClockTimer(due);
  }

  private setClockTimer(due: number): void {
    this.timerSetFor = due;
    this.timer = this.clock.setTimer(due - this.clock.now(), () => {
      if (this.clock.now() < this.timerDue) return this.setClockTimer(this.timerDue);
      this.timer = undefined;
      this.timerCallback?.();
    });
  }

  private cancelTimer(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerCallback = undefined;
  }
}

/**
 * A vrrp_sync_group: members move together (vrrp_sync.c). The group goes
 * MASTER only when every member wants to, BACKUP when one member gives way to
 * a higher priority, FAULT when one member faults, and out of FAULT when none
 * is faulty any more.
 */
export class SyncGroup {
  readonly members: VrrpInstance[] = [];

  constructor(readonly name: string) {}

  add(instance: VrrpInstance): void {
    this.members.push(instance);
    instance.group = this;
  }

  allWantMaster(): boolean {
    return this.members.every((m) => m.state === 'MASTER' || (m.state === 'BACKUP' && m.wantsMaster));
  }

  goMaster(): void {
    for (const m of this.members) m.becomeMaster();
  }

  memberLeftMaster(_member: VrrpInstance): void {
    for (const m of this.members) if (m.state === 'MASTER') m.toBackup();
  }

  memberFault(_member: VrrpInstance): void {
    for (const m of this.members) m.toFault();
  }

  faultsCleared(): boolean {
    return this.members.every((m) => !m.isFaulty);
  }

  leaveFault(): void {
    for (const m of this.members) m.leaveFault();
  }
}
