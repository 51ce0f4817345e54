/**
 * The VRRP daemon: the instances of a configuration on real sockets. Packets
 * come in through the native I/O, pass keepalived's checks (packet.ts) and
 * reach the state machine; its adverts go out the same way; a new MASTER adds
 * its VIPs and virtual routes over rtnetlink and announces them with
 * gratuitous ARPs or unsolicited NAs, and whoever leaves MASTER removes them.
 * Logs use keepalived's wording.
 */
import type { Block, Config } from '../grammar/ast.ts';
import { blocksOf, canonicalIp, lastStatement, model } from '../grammar/index.ts';
import { type Clock, realClock, type Timer } from './clock.ts';
import { type RunInstance, runConfig, type Vip } from './config.ts';
import { type FirewallSettings, firewallRules } from './firewall.ts';
import { type Host, type NotifierPort, realHost, type TrackedFile } from './host.ts';
import type { Dataplane } from './dataplane/types.ts';
import { type RunVirtualServer, virtualServersOf } from './lvs/config.ts';
import { type CheckerHandle, type DataplaneStatus, Lvs, type VirtualServerStatus } from './lvs/manager.ts';
import type { Metrics } from './metrics.ts';
import type { NotifiedState } from './notifier.ts';
import { type ScriptCommand, ScriptChecks, type ScriptPolicy, scriptPolicy } from './scripts.ts';
import { contribution, effectivePriority, fileContribution, ScriptMonitor, type ScriptSpec, scriptSpecOf } from './trackers.ts';
import { parseIpv4, type RouteSpec, type VrrpIo } from './io.ts';
import { SyncGroup, VrrpInstance, type VrrpState } from './vrrp/instance.ts';
import { decodeAdvert, encodeAdvert, type PacketMeta, VRRP_PROTOCOL } from './vrrp/packet.ts';

const DROP_MESSAGES: Record<string, (ttl: number) => string> = {
  ttl: (ttl) => `invalid TTL/HL. Received ${ttl} and expect 255`,
  checksum: () => 'Invalid VRRP checksum',
  'auth-type': () => 'received an invalid auth type',
  auth: () => 'received an invalid passwd!',
  interval: () => 'advertisement interval mismatch',
  version: () => 'wrong version',
  length: () => 'ip payload too short',
  type: () => 'Invalid packet type',
};

/** The interfaces whose carrier the instance depends on: its own and those of its tracked VIPs (not `no_track`). */
const tracked = (r: Running) => [...new Set([r.run.interface, ...r.run.vips.filter((v) => v.tracked).map((v) => v.device)])];

export interface DaemonOptions {
  config: Config;
  io: VrrpIo;
  clock?: Clock;
  /** The machine's side of things (the real one by default; the simulator's stand-in). */
  host?: Partial<Host>;
  metrics?: Metrics;
  log(line: string): void;
  /** keepalived's --log-detail: every dropped packet is logged, not the first of each kind and every 1000th. */
  detail?: boolean;
  /** The checker side (virtual servers); without it kalint runs VRRP only, as keepalived's -P. */
  lvs?: { dataplane: Dataplane; checkers: CheckerFactory };
  /** false: no VRRP instances, as keepalived's -C. */
  vrrp?: boolean;
  /** Hears each instance's state changes and effective priorities as they happen (the simulator's timeline). */
  observer?: DaemonObserver;
}

export interface DaemonObserver {
  transition(instance: string, from: VrrpState, to: VrrpState, priority: number): void;
  priority(instance: string, priority: number): void;
}

/** What a real server's checkers are made of, given the clock and how scripts are secured. */
export type CheckerFactory = (
  vs: RunVirtualServer,
  server: number,
  context: { clock: Clock; config: Config; policy: ScriptPolicy; checked: ScriptChecks; log(line: string): void },
) => CheckerHandle[];

interface Running {
  run: RunInstance;
  instance: VrrpInstance;
  channel: unknown;
  drops: Map<string, number>;
  trackers: model.Tracker[];
  /** What the instance was started from, to tell on reload whether it changed. */
  fingerprint: string;
  /** The delayed and periodic gratuitous ARPs of the current MASTER term. */
  garpTimers: Timer[];
  /** Our own address, canonical, and what the packet checks expect: worked out once, used on every packet. */
  self: string;
  expected: Parameters<typeof decodeAdvert>[2];
}

function fingerprint(run: RunInstance, trackers: readonly model.Tracker[], specs: ReadonlyMap<Block, ScriptSpec>): string {
  const { block: _, ...rest } = run;
  return JSON.stringify({ ...rest, trackers: trackers.map((t) => ({ kind: t.kind, name: t.name, weight: t.weight, reverse: t.reverse, script: t.object && specs.get(t.object) })) });
}

export class Daemon {
  private running: Running[] = [];
  private readonly clock: Clock;
  private links: unknown;
  /** Interfaces whose carrier is down. */
  private readonly down = new Set<string>();
  /** One monitor per vrrp_script and per track_file, shared by the instances that track it. */
  private readonly scripts = new Map<Block, ScriptMonitor>();
  private readonly files = new Map<Block, TrackedFile>();
  private readonly host: Host;
  private readonly notifier: NotifierPort;
  private firewall?: FirewallSettings;
  private staticAddresses: Vip[] = [];
  private staticRoutes: RouteSpec[] = [];
  /** When the next gratuitous ARP may go out on an interface, with a GARP interval. */
  private readonly nextGarp = new Map<string, number>();
  /** The state each sync group last announced. */
  private readonly groupStates = new Map<string, NotifiedState>();
  private readonly lvs?: Lvs;
  /** The checker context of the configuration being applied. */
  private checkerContext?: Parameters<CheckerFactory>[2];

  constructor(private readonly options: DaemonOptions) {
    this.clock = options.clock ?? realClock;
    this.host = { ...realHost, ...options.host };
    this.notifier = this.host.notifier(options.log);
    const lvs = options.lvs;
    if (lvs) {
      this.lvs = new Lvs(
        lvs.dataplane,
        {
          log: options.log,
          script: (command) => this.notifier.run(command),
          fifo: (line) => this.notifier.lvsLine(line),
          mail: (subject, body) => this.notifier.mailAlert(subject, body),
          ...(options.metrics ? { metrics: options.metrics } : {}),
        },
        (vs, server) => lvs.checkers(vs, server, this.checkerContext!),
      );
      if (options.metrics) options.metrics.virtualServers = () => this.virtualServers();
    }
  }

  /** Problems that keep instances from running are logged; the others start. */
  start(): void {
    this.apply(this.options.config);
    this.links = this.options.io.watchLinks((ifname, up) => this.link(ifname, up));
  }

  /**
   * A new configuration (SIGHUP): instances whose settings, addresses,
   * peers and trackers are unchanged keep running, with their state and
   * VIPs; the others stop (resigning, VIPs removed) and the new ones start.
   */
  reload(config: Config): void {
    this.apply(config);
  }

  private apply(config: Config): void {
    const vrrp = this.options.vrrp !== false;
    const { instances, staticAddresses, staticRoutes, firewall, problems } = vrrp ? runConfig(config, this.host.addressOf) : { instances: [], staticAddresses: [], staticRoutes: [], firewall: undefined, problems: [] };
    for (const p of problems) this.options.log(p);
    this.applyStatic(staticAddresses, staticRoutes);
    this.applyFirewall(firewall);
    const globals = new model.GlobalDefs(config);
    const log = this.options.log;
    const policy = scriptPolicy(globals, log, this.host.resolveUser);
    const checked = new ScriptChecks(policy, log, this.host.checkScript);
    const secure = (command: ScriptCommand) => checked.secure(command);
    this.notifier.configure(config, policy, secure);
    const specs = this.scriptSpecs(config, policy, checked);
    if (this.lvs) {
      const lvsProblems: string[] = [];
      const servers = virtualServersOf(config, policy, lvsProblems, log, secure);
      for (const p of lvsProblems) log(p);
      this.checkerContext = { clock: this.clock, config, policy, checked, log };
      this.lvs.configure(servers);
    }
    checked.reportViolation();
    const wanted = new Map<string, { run: RunInstance; trackers: model.Tracker[]; fingerprint: string }>();
    for (const run of instances) {
      // keepalived drops a track_script whose script it disabled; the instance runs without it.
      const trackers = model.effectiveTrackers(run.block, config, globals).filter((t) => t.kind !== 'bfd' && (t.kind !== 'script' || (t.object && specs.has(t.object))));
      wanted.set(run.settings.name, { run, trackers, fingerprint: fingerprint(run, trackers, specs) });
    }
    const kept: Running[] = [];
    for (const r of this.running) {
      const next = wanted.get(r.run.settings.name);
      if (next && next.fingerprint === r.fingerprint) {
        kept.push(r);
        wanted.delete(r.run.settings.name);
      } else {
        r.instance.stop();
        this.options.io.close(r.channel);
        if (next) this.options.log(`(${r.run.settings.name}) changed: restarting it`);
        else this.options.log(`(${r.run.settings.name}) removed from the configuration`);
      }
    }
    this.running = kept;
    const groups = new Map<string, SyncGroup>();
    for (const r of kept) if (r.run.group && r.instance.group) groups.set(r.run.group, r.instance.group);
    const added: Running[] = [];
    for (const { run, trackers, fingerprint: print } of wanted.values()) {
      const instance = new VrrpInstance(run.settings, this.clock, {
        send: (advert) => this.send(entry, advert),
        transition: (_, from, to) => this.transition(entry, from, to),
        log: (i, message) => this.options.log(`(${i.settings.name}) ${message}`),
        lowerPriority: () => this.lowerPriorityHeard(entry),
      });
      const s = run.settings;
      const expected = { version: s.version, vrid: s.vrid, intervalCs: Math.round(s.advertIntervalMs / 10), ...(s.auth ? { auth: s.auth } : {}) };
      const entry: Running = { run, instance, channel: undefined, drops: new Map(), trackers, fingerprint: print, garpTimers: [], self: canonicalIp(s.primaryAddress), expected };
      for (const t of trackers) if (t.kind === 'script' && t.object) this.monitor(t.object, specs.get(t.object)!);
      for (const t of trackers) if (t.kind === 'file' && t.object) this.watchFile(t.object);
      if (run.group) {
        const group = groups.get(run.group) ?? new SyncGroup(run.group);
        groups.set(run.group, group);
        group.add(instance);
      }
      entry.channel = this.open(entry);
      added.push(entry);
    }
    this.running.push(...added);
    // Scripts and files no instance tracks any more stop.
    for (const monitors of [this.scripts, this.files] as Map<Block, { stop(): void }>[]) {
      for (const [block, monitor] of monitors) {
        if (this.running.some((r) => r.trackers.some((t) => t.object === block))) continue;
        monitor.stop();
        monitors.delete(block);
      }
    }
    for (const r of added) for (const ifname of [...tracked(r), ...r.trackers.map((t) => t.name)]) if (!this.host.linkUp(ifname)) this.down.add(ifname);
    for (const r of added) this.refresh(r);
    for (const r of added) r.instance.start();
    for (const m of this.scripts.values()) m.start();
  }

  /**
   * static_ipaddress and static_routes: added at start; on reload those that
   * went away are removed and new ones added (keepalived's clear_diff_static_*).
   */
  private applyStatic(addresses: Vip[], routes: RouteSpec[]): void {
    const key = (x: unknown) => JSON.stringify(x);
    const gone = <T>(old: T[], now: T[]) => old.filter((o) => !now.some((n) => key(n) === key(o)));
    this.changeRoutes(gone(this.staticRoutes, routes), false, '');
    this.changeAddresses(gone(this.staticAddresses, addresses), false, '');
    this.changeAddresses(gone(addresses, this.staticAddresses), true, '');
    this.changeRoutes(gone(routes, this.staticRoutes), true, '');
    this.staticAddresses = addresses;
    this.staticRoutes = routes;
  }

  /** keepalived's nftables tables for instances without accept mode; replaced when they change, removed when none is needed. */
  private applyFirewall(next: FirewallSettings | undefined): void {
    const previous = this.firewall;
    if (JSON.stringify(previous) === JSON.stringify(next)) return;
    try {
      this.host.nft(firewallRules(next ?? { ...previous!, vips: [] }, previous));
      this.firewall = next;
    } catch (e) {
      this.options.log(`cannot set up the nftables firewall: ${(e as Error).message.trim()}`);
    }
  }

  /** The vrrp_scripts that run, checked as keepalived checks them at load; a disabled one is logged and left out. */
  private scriptSpecs(config: Config, policy: ScriptPolicy, checked: ScriptChecks): Map<Block, ScriptSpec> {
    const specs = new Map<Block, ScriptSpec>();
    for (const block of blocksOf(config, 'vrrp_script')) {
      const spec = scriptSpecOf(block, policy, this.options.log);
      const verdict = spec && checked.check(spec.command);
      if (verdict?.runs) specs.set(block, { ...spec!, command: verdict.command });
      else if (verdict && verdict.reason !== 'not-executable') this.options.log(`Disabling track script ${block.name ?? '?'} ${verdict.reason === 'insecure' ? 'due to insecure' : 'since not found/accessible'}`);
    }
    return specs;
  }

  private monitor(block: Block, spec: ScriptSpec): void {
    const running = this.scripts.get(block);
    if (running && JSON.stringify(running.spec) === JSON.stringify(spec)) return;
    running?.stop();
    const monitor = new ScriptMonitor(spec, this.clock, this.host.runScript, () => {
      for (const r of this.running) if (r.trackers.some((t) => t.object === block)) this.refresh(r);
    }, this.options.log);
    this.scripts.set(block, monitor);
  }

  private watchFile(block: Block): void {
    if (this.files.has(block)) return;
    const path = lastStatement(block, 'file')?.params['path'];
    if (typeof path !== 'string') return;
    const monitor = this.host.trackFile(path, () => {
      for (const r of this.running) if (r.trackers.some((t) => t.object === block)) this.refresh(r);
    });
    const init = lastStatement(block, 'init_file');
    const initValue = init?.params['value'];
    try {
      monitor.start(init ? { value: typeof initValue === 'number' ? initValue : 0, overwrite: init.options['overwrite'] !== undefined } : undefined);
    } catch (e) {
      this.options.log(`track_file ${block.name ?? '?'}: ${(e as Error).message}`);
    }
    this.files.set(block, monitor);
  }

  /**
   * FAULT when the instance's interface or a VIP's is down or a weight-0
   * tracker fails; otherwise the effective priority from the trackers'
   * weights (keepalived tracks the interfaces of the instance and its VIPs).
   */
  private refresh(r: Running): void {
    const contributions = r.trackers.map((t) => {
      if (t.kind === 'file') return fileContribution(t, this.files.get(t.object!)?.value ?? 0);
      const up = t.kind === 'interface' ? !this.down.has(t.name) : (this.scripts.get(t.object!)?.up ?? true);
      return contribution(t, up);
    });
    const priority = effectivePriority(r.run.settings.priority, contributions);
    r.instance.setFault(tracked(r).some((i) => this.down.has(i)) || priority === 'fault');
    if (priority !== 'fault') {
      if (priority !== r.instance.effectivePriority) this.options.observer?.priority(r.run.settings.name, priority);
      r.instance.setEffectivePriority(priority);
      this.options.metrics?.setPriority(r.run.settings.name, priority);
    }
  }

  private link(ifname: string, up: boolean): void {
    if (up === !this.down.has(ifname)) return;
    if (up) this.down.delete(ifname);
    else this.down.add(ifname);
    this.options.log(`Netlink reports ${ifname} ${up ? 'up' : 'down'}`);
    for (const r of this.running) if (tracked(r).includes(ifname) || r.trackers.some((t) => t.kind === 'interface' && t.name === ifname)) this.refresh(r);
  }

  /**
   * Shutdown: masters resign (priority 0) and release their VIPs; sockets close; the checkers stop and the
   * dataplane removes what it added (the promise settles then).
   */
  async stop(): Promise<void> {
    for (const m of this.scripts.values()) m.stop();
    for (const m of this.files.values()) m.stop();
    for (const r of this.running) r.instance.stop();
    for (const r of this.running) this.options.io.close(r.channel);
    if (this.links) this.options.io.close(this.links);
    this.applyStatic([], []);
    this.applyFirewall(undefined);
    this.running.length = 0;
    await this.lvs?.stop();
    this.notifier.close();
  }

  /** The virtual servers, for SIGUSR1 and `kalint status`. */
  virtualServers(): VirtualServerStatus[] {
    return this.lvs?.status() ?? [];
  }

  /** The dataplane and whether its last update failed; undefined when kalint runs VRRP only. */
  dataplane(): DataplaneStatus | undefined {
    return this.lvs?.dataplaneStatus();
  }

  /** Resolves once the dataplane holds the latest table. */
  async settled(): Promise<void> {
    await this.lvs?.settled();
  }

  /** State, priorities and counters, for SIGUSR1 and `kalint status`. */
  status(): { name: string; state: VrrpState; priority: number; vips: string[]; drops: Record<string, number> }[] {
    return this.running.map((r) => ({
      name: r.run.settings.name,
      state: r.instance.state,
      priority: r.instance.effectivePriority,
      vips: r.run.vips.map((v) => `${v.address}/${v.prefix}`),
      drops: Object.fromEntries(r.drops),
    }));
  }

  /** The instance's socket pair: IPv4 hands over whole packets, IPv6 the payload with the header fields beside it. */
  private open(r: Running): unknown {
    const { run } = r;
    const group = run.peers.length ? '' : run.multicast;
    if (run.family === 4) {
      const onPacket = (packet: Buffer) => {
        const ip = parseIpv4(packet);
        if (ip && ip.protocol === VRRP_PROTOCOL) this.receive(r, ip.payload, { family: 4, source: ip.source, destination: ip.destination, ttl: ip.ttl, multicast: ip.destination === run.multicast });
      };
      return this.options.io.open(run.interface, run.settings.primaryAddress, group, onPacket, run.unicastTtl, run.settings.vrid);
    }
    const onPacket = (payload: Buffer, source: string, hopLimit: number, destination: string) => {
      const to = destination || group || run.settings.primaryAddress;
      this.receive(r, payload, { family: 6, source, destination: to, ...(hopLimit >= 0 ? { ttl: hopLimit } : {}), multicast: to === run.multicast });
    };
    return this.options.io.open(run.interface, run.settings.primaryAddress, group, onPacket, run.unicastTtl, run.settings.vrid);
  }

  private send(r: Running, advert: Parameters<typeof encodeAdvert>[0]): void {
    const source = r.run.settings.primaryAddress;
    for (const destination of r.run.peers.length ? r.run.peers : [r.run.multicast]) {
      const bytes = encodeAdvert(advert, { family: r.run.family, source, destination });
      try {
        this.options.io.send(r.channel, bytes, destination);
      } catch (e) {
        this.options.log(`(${r.run.settings.name}) cannot send advert to ${destination}: ${(e as Error).message}`);
      }
    }
  }

  private receive(r: Running, payload: Uint8Array, meta: PacketMeta): void {
    const s = r.run.settings;
    if (canonicalIp(meta.source) === r.self) return;
    // Adverts for other VRIDs are other routers' business.
    if (payload.length > 1 && payload[1] !== s.vrid) return;
    const decoded = decodeAdvert(payload, meta, r.expected);
    if ('drop' in decoded) {
      const count = (r.drops.get(decoded.drop) ?? 0) + 1;
      r.drops.set(decoded.drop, count);
      this.options.metrics?.drop(s.name, decoded.drop);
      // A flood of bad packets must not become a flood of log lines: the first of a kind, then every 1000th.
      const message = DROP_MESSAGES[decoded.drop];
      if (message && (this.options.detail || count === 1 || count % 1000 === 0)) this.options.log(`(${s.name}) ${message(meta.ttl ?? -1)}${count > 1 ? ` (${count} so far)` : ''}`);
      return;
    }
    const advertised = decoded.advert.addresses;
    if (advertised.length !== s.addresses.length || advertised.some((a, i) => a !== s.addresses[i])) {
      this.options.log(`(${s.name}) ip address associated with VRID ${s.vrid} not present in MASTER advert : ${s.addresses.find((a) => !advertised.includes(a)) ?? advertised.join(',')}`);
    }
    r.instance.receive(decoded.advert, meta.source);
  }

  private transition(r: Running, from: VrrpState, to: VrrpState): void {
    const name = r.run.settings.name;
    if (to !== 'STOP') this.options.log(`(${name}) Entering ${to} STATE${from === 'INIT' ? ' (init)' : ''}`);
    this.options.metrics?.transition(name, to, r.instance.effectivePriority);
    this.options.observer?.transition(name, from, to, r.instance.effectivePriority);
    if (to !== 'INIT') this.notifyInstance(r, to);
    if (to === 'MASTER') {
      this.changeVips(r, true);
      this.options.log(`(${name}) setting VIPs.`);
      this.announce(r);
    } else if (from === 'MASTER') {
      for (const t of r.garpTimers.splice(0)) t.cancel();
      this.changeVips(r, false);
      this.options.log(`(${name}) removing VIPs.`);
    }
  }

  /**
   * keepalived notifies a member of a sync group only when the group is not
   * already in that state, and the group once all its members agree.
   */
  private notifyInstance(r: Running, to: NotifiedState): void {
    const name = r.run.group;
    const group = r.instance.group;
    if (!name || !group || this.groupStates.get(name) !== to) this.notifier.notify('instance', r.run.settings.name, to, r.instance.effectivePriority);
    if (!name || !group || this.groupStates.get(name) === to) return;
    if (to === 'FAULT' || group.members.every((m) => m.state === to)) {
      this.groupStates.set(name, to);
      this.notifier.notify('group', name, to, 0);
    }
  }

  /** A MASTER's VIPs and virtual routes: addresses first, so that routes through them can be added. */
  private changeVips(r: Running, add: boolean): void {
    this.changeAddresses(r.run.vips, add, `(${r.run.settings.name}) `);
    this.changeRoutes(r.run.routes, add, `(${r.run.settings.name}) `);
  }

  private changeAddresses(vips: readonly Vip[], add: boolean, prefix: string): void {
    for (const vip of vips) {
      try {
        this.options.io.address(add, vip.device, vip.address, vip.prefix, vip.options);
      } catch (e) {
        // Already there (EEXIST) or already gone (EADDRNOTAVAIL) is what we want anyway.
        const text = (e as Error).message;
        if (!/File exists|Cannot assign requested address/.test(text)) this.options.log(`${prefix}${add ? 'cannot add' : 'cannot remove'} ${vip.address}: ${text}`);
      }
    }
  }

  private changeRoutes(routes: readonly RouteSpec[], add: boolean, prefix: string): void {
    // Removal in reverse order: a route may depend on one added before it.
    for (const route of add ? routes : [...routes].reverse()) {
      try {
        this.options.io.route(add, route);
      } catch (e) {
        const text = (e as Error).message;
        if (!/File exists|No such process/.test(text)) this.options.log(`${prefix}${add ? 'cannot add' : 'cannot remove'} route to ${route.destination}/${route.prefix}: ${text}`);
      }
    }
  }

  /**
   * A new MASTER's gratuitous ARPs (vrrp.c, vrrp_state_become_master): a
   * burst now, another after garp_master_delay, then refreshes every
   * garp_master_refresh; all stop when it leaves MASTER.
   */
  private announce(r: Running): void {
    const g = r.run.garp;
    this.garp(r, g.repeat);
    if (g.delayMs) r.garpTimers.push(this.clock.setTimer(g.delayMs, () => this.garp(r, g.repeat)));
    if (g.refreshMs) {
      const refresh = (after: number) => r.garpTimers.push(this.clock.setTimer(after, () => {
        this.garp(r, g.refreshRepeat);
        refresh(g.refreshMs);
      }));
      refresh(g.delayMs + g.refreshMs);
    }
  }

  /** A MASTER that hears a lower priority re-announces its VIPs: garp_lower_prio_repeat now and after garp_lower_prio_delay. */
  private lowerPriorityHeard(r: Running): void {
    const g = r.run.garp;
    if (!g.lowerPrioRepeat) return;
    this.garp(r, g.lowerPrioRepeat);
    if (g.lowerPrioDelayMs) r.garpTimers.push(this.clock.setTimer(g.lowerPrioDelayMs, () => this.garp(r, g.lowerPrioRepeat)));
  }

  /** `repeat` gratuitous ARPs per VIP, spaced on each interface by the GARP interval. */
  private garp(r: Running, repeat: number): void {
    if (!repeat || !r.run.vips.length) return;
    this.options.log(`(${r.run.settings.name}) Sending/queueing gratuitous ARPs on ${r.run.interface} for ${r.run.vips.map((v) => v.address).join(', ')}`);
    const now = this.clock.now();
    for (let i = 0; i < repeat; i++) {
      for (const vip of r.run.vips) {
        const send = () => {
          try {
            if (vip.family === 4) this.options.io.garp(vip.device, vip.address);
            else this.options.io.na(vip.device, vip.address);
          } catch (e) {
            this.options.log(`(${r.run.settings.name}) cannot send gratuitous ${vip.family === 4 ? 'ARP' : 'NA'} for ${vip.address}: ${(e as Error).message}`);
          }
        };
        if (!r.run.garp.intervalMs) {
          send();
          continue;
        }
        // keepalived queues ARPs per interface and sends one per interval.
        const at = Math.max(now, this.nextGarp.get(vip.device) ?? now);
        this.nextGarp.set(vip.device, at + r.run.garp.intervalMs);
        if (at === now) send();
        else r.garpTimers.push(this.clock.setTimer(at - now, send));
      }
    }
  }
}
