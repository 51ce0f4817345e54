/**
 * The VRRP daemon: the instances of a configuration on real sockets. Packets
 * come in through the native I/O, pass keepalived's checks (packet.ts) and
 * reach the state machine; its adverts go out the same way; a new MASTER adds
 * its VIPs over rtnetlink and announces them with gratuitous ARPs, and
 * whoever leaves MASTER removes them. Logs use keepalived's wording.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Config } from '../grammar/ast.ts';
import { type Clock, realClock } from './clock.ts';
import type { Block } from '../grammar/ast.ts';
import { lastStatement, model } from '../grammar/index.ts';
import { splitQuoted } from '../grammar/line.ts';
import { type RunInstance, runConfig } from './config.ts';
import type { Metrics } from './metrics.ts';
import { alertMessage, alertsFor, sendMail, type SmtpSettings, smtpSettings } from './smtp.ts';
import { contribution, effectivePriority, FileMonitor, fileContribution, resolveUser, ScriptMonitor, type ScriptRunner, scriptSpecOf, spawnRunner } from './trackers.ts';
import { parseIpv4, type VrrpIo } from './io.ts';
import { SyncGroup, VrrpInstance, type VrrpState } from './vrrp/instance.ts';
import { decodeAdvert, encodeAdvert, VRRP_PROTOCOL } from './vrrp/packet.ts';

const GROUP = '224.0.0.18';
/** keepalived's garp_master_repeat and garp_master_delay defaults. */
const GARP_REPEAT = 5;
const GARP_DELAY_MS = 5000;

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

const tracked = (r: Running) => [...new Set([r.run.interface, ...r.run.vips.map((v) => v.device)])];

/** The carrier as sysfs has it; an interface that does not say (loopback, some virtual ones) counts as up. */
function linkUp(ifname: string): boolean {
  try {
    const state = readFileSync(`/sys/class/net/${ifname}/operstate`, 'utf8').trim();
    return state === 'up' || state === 'unknown';
  } catch {
    return false;
  }
}

export interface DaemonOptions {
  config: Config;
  io: VrrpIo;
  clock?: Clock;
  /** How tracked scripts run (without a shell, by default). */
  runner?: ScriptRunner;
  metrics?: Metrics;
  log(line: string): void;
}

interface Running {
  run: RunInstance;
  instance: VrrpInstance;
  channel: unknown;
  drops: Map<string, number>;
  trackers: model.Tracker[];
  /** What the instance was started from, to tell on reload whether it changed. */
  fingerprint: string;
  /** smtp_alert is on for the instance. */
  alerts: boolean;
}

function fingerprint(run: RunInstance, trackers: readonly model.Tracker[]): string {
  const { block: _, ...rest } = run;
  return JSON.stringify({ ...rest, trackers: trackers.map((t) => ({ kind: t.kind, name: t.name, weight: t.weight, reverse: t.reverse, script: t.object && scriptSpecOf(t.object) })) });
}

export class Daemon {
  private running: Running[] = [];
  private readonly clock: Clock;
  private links: unknown;
  /** Interfaces whose carrier is down. */
  private readonly down = new Set<string>();
  /** One monitor per vrrp_script and per track_file, shared by the instances that track it. */
  private readonly scripts = new Map<Block, ScriptMonitor>();
  private readonly files = new Map<Block, FileMonitor>();
  /** Where e-mail alerts go, when the configuration says. */
  private smtp?: SmtpSettings;
  /** notify_fifo and vrrp_notify_fifo, open for writing. */
  private fifos: number[] = [];
  /** Global script_user: who runs notify scripts and scripts without a user of their own. */
  private scriptUser?: { uid: number; gid: number };

  constructor(private readonly options: DaemonOptions) {
    this.clock = options.clock ?? realClock;
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
    this.smtp = smtpSettings(config);
    this.openFifos(config);
    const { instances, problems } = runConfig(config);
    for (const p of problems) this.options.log(p);
    const globals = new model.GlobalDefs(config);
    const su = globals.statement('script_user');
    const scriptUser = su ? resolveUser(String(su.params['user']), su.params['group'] as string | undefined) : undefined;
    this.scriptUser = scriptUser;
    const wanted = new Map<string, { run: RunInstance; trackers: model.Tracker[]; fingerprint: string }>();
    for (const run of instances) {
      const trackers = model.effectiveTrackers(run.block, config, globals).filter((t) => t.kind !== 'bfd');
      wanted.set(run.settings.name, { run, trackers, fingerprint: fingerprint(run, trackers) });
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
      });
      const entry: Running = { run, instance, channel: undefined, drops: new Map(), trackers, fingerprint: print, alerts: alertsFor(run.block, config) };
      for (const t of trackers) if (t.kind === 'script' && t.object) this.monitor(t.object, scriptUser);
      for (const t of trackers) if (t.kind === 'file' && t.object) this.watchFile(t.object);
      if (run.group) {
        const group = groups.get(run.group) ?? new SyncGroup(run.group);
        groups.set(run.group, group);
        group.add(instance);
      }
      entry.channel = this.options.io.open(run.interface, run.settings.primaryAddress, run.peers.length ? '' : GROUP, (packet) => this.receive(entry, packet));
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
    for (const r of added) for (const ifname of [...tracked(r), ...r.trackers.map((t) => t.name)]) if (!linkUp(ifname)) this.down.add(ifname);
    for (const r of added) this.refresh(r);
    for (const r of added) r.instance.start();
    for (const m of this.scripts.values()) m.start();
  }

  private monitor(block: Block, scriptUser: { uid: number; gid: number } | undefined): void {
    if (this.scripts.has(block)) return;
    const spec = scriptSpecOf(block, scriptUser);
    if (!spec) return;
    const monitor = new ScriptMonitor(spec, this.clock, this.options.runner ?? spawnRunner, () => {
      for (const r of this.running) if (r.trackers.some((t) => t.object === block)) this.refresh(r);
    }, this.options.log);
    this.scripts.set(block, monitor);
  }

  private watchFile(block: Block): void {
    if (this.files.has(block)) return;
    const path = lastStatement(block, 'file')?.params['path'];
    if (typeof path !== 'string') return;
    const monitor = new FileMonitor(path, () => {
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

  /** Shutdown: masters resign (priority 0) and release their VIPs; sockets close. */
  stop(): void {
    for (const m of this.scripts.values()) m.stop();
    for (const m of this.files.values()) m.stop();
    for (const r of this.running) r.instance.stop();
    for (const r of this.running) this.options.io.close(r.channel);
    if (this.links) this.options.io.close(this.links);
    for (const fd of this.fifos.splice(0)) closeSync(fd);
    this.running.length = 0;
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

  private send(r: Running, advert: Parameters<typeof encodeAdvert>[0]): void {
    const source = r.run.settings.primaryAddress;
    for (const destination of r.run.peers.length ? r.run.peers : [GROUP]) {
      const bytes = encodeAdvert(advert, { family: 4, source, destination });
      try {
        this.options.io.send(r.channel, bytes, destination);
      } catch (e) {
        this.options.log(`(${r.run.settings.name}) cannot send advert to ${destination}: ${(e as Error).message}`);
      }
    }
  }

  private receive(r: Running, packet: Buffer): void {
    const ip = parseIpv4(packet);
    if (!ip || ip.protocol !== VRRP_PROTOCOL || ip.source === r.run.settings.primaryAddress) return;
    const s = r.run.settings;
    const meta = { family: 4 as const, source: ip.source, destination: ip.destination, ttl: ip.ttl, multicast: ip.destination === GROUP };
    // Adverts for other VRIDs are other routers' business.
    if (ip.payload.length > 1 && ip.payload[1] !== s.vrid) return;
    const decoded = decodeAdvert(ip.payload, meta, { version: s.version, vrid: s.vrid, intervalCs: Math.round(s.advertIntervalMs / 10), ...(s.auth ? { auth: s.auth } : {}) });
    if ('drop' in decoded) {
      const count = (r.drops.get(decoded.drop) ?? 0) + 1;
      r.drops.set(decoded.drop, count);
      this.options.metrics?.drop(s.name, decoded.drop);
      // A flood of bad packets must not become a flood of log lines: the first of a kind, then every 1000th.
      const message = DROP_MESSAGES[decoded.drop];
      if (message && (count === 1 || count % 1000 === 0)) this.options.log(`(${s.name}) ${message(ip.ttl)}${count > 1 ? ` (${count} so far)` : ''}`);
      return;
    }
    const advertised = decoded.advert.addresses;
    if (advertised.length !== s.addresses.length || advertised.some((a, i) => a !== s.addresses[i])) {
      this.options.log(`(${s.name}) ip address associated with VRID ${s.vrid} not present in MASTER advert : ${s.addresses.find((a) => !advertised.includes(a)) ?? advertised.join(',')}`);
    }
    r.instance.receive(decoded.advert, ip.source);
  }

  private transition(r: Running, from: VrrpState, to: VrrpState): void {
    const name = r.run.settings.name;
    if (to !== 'STOP') this.options.log(`(${name}) Entering ${to} STATE${from === 'INIT' ? ' (init)' : ''}`);
    this.options.metrics?.transition(name, to, r.instance.effectivePriority);
    this.notify(r, to);
    if (r.alerts && this.smtp && to !== 'STOP') {
      const { subject, body } = alertMessage(this.smtp.routerId, name, to);
      sendMail(this.smtp, subject, body).then(
        () => this.options.log(`(${name}) Remote SMTP server [${this.smtp?.server}]:${this.smtp?.port} connected.`),
        (e: Error) => this.options.log(`(${name}) Error sending e-mail alert: ${e.message}`),
      );
    }
    if (to === 'MASTER') {
      this.changeVips(r, true);
      this.options.log(`(${name}) setting VIPs.`);
      this.garp(r);
      this.clock.setTimer(GARP_DELAY_MS, () => r.instance.state === 'MASTER' && this.garp(r));
    } else if (from === 'MASTER') {
      this.changeVips(r, false);
      this.options.log(`(${name}) removing VIPs.`);
    }
  }

  /**
   * notify_fifo and vrrp_notify_fifo get a line per event, as keepalived
   * writes them: `INSTANCE "VI_1" MASTER 100`. The FIFO is made if missing and
   * opened read-write, so that writing never waits for a reader.
   */
  private openFifos(config: Config): void {
    for (const fd of this.fifos) closeSync(fd);
    this.fifos = [];
    const globals = new model.GlobalDefs(config);
    for (const keyword of ['notify_fifo', 'vrrp_notify_fifo']) {
      const path = globals.statement(keyword)?.params['fifo'];
      if (typeof path !== 'string') continue;
      try {
        if (!existsSync(path)) execFileSync('mkfifo', ['-m', '0600', path]);
        this.fifos.push(openSync(path, constants.O_RDWR | constants.O_NONBLOCK));
      } catch (e) {
        this.options.log(`cannot open ${keyword} ${path}: ${(e as Error).message}`);
      }
    }
  }

  /**
   * notify_master/backup/fault/stop, then `notify` with keepalived's
   * arguments (INSTANCE, name, state, priority); run without a shell, as
   * keepalived's script tokenizer splits them, without waiting.
   */
  private notify(r: Running, to: VrrpState): void {
    if (to === 'INIT') return;
    const line = `INSTANCE "${r.run.settings.name}" ${to === 'STOP' ? 'STOP' : to} ${r.instance.effectivePriority}\n`;
    for (const fd of this.fifos) {
      try {
        writeSync(fd, line);
      } catch (e) {
        // A FIFO nobody drains fills up: the event is lost, as with keepalived.
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') this.options.log(`cannot write to the notify FIFO: ${(e as Error).message}`);
      }
    }
    const specific = `notify_${to.toLowerCase()}`;
    const commands: string[][] = [];
    for (const keyword of [specific, 'notify']) {
      const s = lastStatement(r.run.block, keyword);
      const argv = s && splitQuoted(s.words.map((w) => w.text).join(' '))?.map((w) => w.text);
      if (!argv?.length) continue;
      commands.push(keyword === 'notify' ? [...argv, 'INSTANCE', r.run.settings.name, to === 'STOP' ? 'STOP' : to, String(r.instance.effectivePriority)] : argv);
    }
    for (const argv of commands) {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore', ...(this.scriptUser ? { uid: this.scriptUser.uid, gid: this.scriptUser.gid } : {}) });
      child.on('error', (e) => this.options.log(`(${r.run.settings.name}) cannot run ${argv[0]}: ${e.message}`));
    }
  }

  private changeVips(r: Running, add: boolean): void {
    for (const vip of r.run.vips) {
      try {
        this.options.io.address(add, vip.device, vip.address, vip.prefix);
      } catch (e) {
        // Already there (EEXIST) or already gone (EADDRNOTAVAIL) is what we want anyway.
        const text = (e as Error).message;
        if (!/File exists|Cannot assign requested address/.test(text)) this.options.log(`(${r.run.settings.name}) ${add ? 'cannot add' : 'cannot remove'} ${vip.address}: ${text}`);
      }
    }
  }

  private garp(r: Running): void {
    this.options.log(`(${r.run.settings.name}) Sending/queueing gratuitous ARPs on ${r.run.interface} for ${r.run.vips.map((v) => v.address).join(', ')}`);
    for (let i = 0; i < GARP_REPEAT; i++) {
      for (const vip of r.run.vips) {
        try {
          this.options.io.garp(vip.device, vip.address);
        } catch (e) {
          this.options.log(`(${r.run.settings.name}) cannot send gratuitous ARP for ${vip.address}: ${(e as Error).message}`);
        }
      }
    }
  }
}
