/**
 * What `kalint run` runs, from the typed AST through the model: one entry per
 * vrrp_instance keepalived keeps, with the settings the state machine takes,
 * the interface and addresses the daemon needs, and the sync groups.
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import type { Block, Config, Item } from '../grammar/ast.ts';
import { blocksOf, canonicalIp, type IpValue, ipOf, itemsOf, lastStatement, model, valueOf } from '../grammar/index.ts';
import type { FirewallSettings } from './firewall.ts';
import type { AddressOptions, RouteSpec, RouteType } from './io.ts';
import type { InstanceSettings } from './vrrp/instance.ts';

/** An address keepalived adds: a VIP of an instance, or a static_ipaddress. */
export interface Vip {
  address: string;
  prefix: number;
  device: string;
  family: 4 | 6;
  options: AddressOptions;
  /** A VIP whose interface going down costs the instance its MASTER state (not `no_track`). */
  tracked: boolean;
}

/** When a MASTER sends gratuitous ARPs (keepalived's garp_* settings), in milliseconds and counts. */
export interface GarpTiming {
  /** ARPs per VIP on becoming MASTER, and again after `delayMs` (0: no second burst). */
  repeat: number;
  delayMs: number;
  /** While MASTER, `refreshRepeat` ARPs every `refreshMs` after the delay (0: none). */
  refreshMs: number;
  refreshRepeat: number;
  /** On hearing a lower priority as MASTER: a burst, and another after the delay. */
  lowerPrioRepeat: number;
  lowerPrioDelayMs: number;
  /** Spacing of ARPs on one interface (vrrp_garp_interval, garp_group's garp_interval). */
  intervalMs: number;
}

export interface RunInstance {
  block: Block;
  family: 4 | 6;
  interface: string;
  settings: InstanceSettings;
  garp: GarpTiming;
  /** virtual_ipaddress (advertised) and virtual_ipaddress_excluded, in that order. */
  vips: Vip[];
  routes: RouteSpec[];
  /** Unicast peers; empty for multicast. */
  peers: string[];
  /** unicast_ttl: the TTL / hop limit of unicast adverts. */
  unicastTtl: number;
  /** Accept mode: off, keepalived's firewall drops traffic to the VIPs. */
  accept: boolean;
  /** Where adverts go without unicast peers: vrrp_mcast_group4/6. */
  multicast: string;
  /** The sync group the instance belongs to, if any. */
  group?: string;
}

export interface RunConfig {
  instances: RunInstance[];
  /** keepalived's nftables settings, when instances without accept mode need its firewall. */
  firewall?: FirewallSettings;
  /** static_ipaddress and static_routes: added at start, removed at exit, whatever the states. */
  staticAddresses: Vip[];
  staticRoutes: RouteSpec[];
  problems: string[];
}

/** keepalived's primary address when no unicast_src_ip is given: the first IPv4 address, or for IPv6 the link-local one. */
export function primaryAddressOf(ifname: string, family: 4 | 6): string | undefined {
  const addresses = networkInterfaces()[ifname] ?? [];
  return family === 4 ? addresses.find((a) => a.family === 'IPv4')?.address : addresses.find((a) => a.family === 'IPv6' && /^fe80:/i.test(a.address))?.address;
}

/** rt_scopes names (iproute2), and numbers. */
const SCOPES: Record<string, number> = { global: 0, universe: 0, site: 200, link: 253, host: 254, nowhere: 255 };

/** Names from iproute2's tables (/etc/iproute2/rt_tables, rt_protos), with their built-in defaults. */
function iproute2Number(file: string, name: string, builtin: Record<string, number>): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  if (name in builtin) return builtin[name];
  for (const path of [`/etc/iproute2/${file}`, `/usr/share/iproute2/${file}`]) {
    try {
      const line = readFileSync(path, 'utf8').split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f[1] === name && /^\d+$/.test(f[0]!));
      if (line) return Number(line[0]);
    } catch {
      // Not on this system.
    }
  }
  return undefined;
}

const word = (item: Item, option: string, param: string): string | undefined => {
  const o = item.options[option];
  return o && o !== true && typeof o[param] === 'string' ? o[param] : undefined;
};

/** `brd +` sets the host bits, `brd -` clears them, otherwise the address given. */
function broadcastOf(ip: IpValue, brd: string): string | undefined {
  if (brd !== '+' && brd !== '-') return brd;
  const prefix = ip.prefix ?? 32;
  if (prefix >= 31) return undefined;
  const n = ip.address.split('.').reduce((a, b) => a * 256 + Number(b), 0);
  const host = 2 ** (32 - prefix) - 1;
  const value = brd === '+' ? n - (n % (host + 1)) + host : n - (n % (host + 1));
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** An address item as keepalived adds it: dev (else the instance's interface), label, scope, brd, -nodad, no_track. */
function vipOf(ip: IpValue, item: Item, ifname: string, problems: string[], where: string): Vip {
  const options: AddressOptions = {};
  const label = word(item, 'label', 'label');
  if (label) options.label = label;
  const scope = word(item, 'scope', 'scope');
  if (scope !== undefined) {
    const n = /^\d+$/.test(scope) ? Number(scope) : SCOPES[scope];
    if (n === undefined) problems.push(`${where} Invalid scope '${scope}' specified for ${ip.address} - ignoring`);
    else options.scope = n;
  }
  const brd = word(item, 'brd', 'broadcast');
  const broadcast = brd !== undefined && ip.family === 4 ? broadcastOf(ip, brd) : undefined;
  if (broadcast) options.broadcast = broadcast;
  if (ip.family === 6) options.noDad = true;
  const unsupported = ['peer', 'home', 'mngtmpaddr', 'noprefixroute', 'autojoin', 'preferred_lft'].filter((o) => item.options[o] !== undefined);
  if (unsupported.length) problems.push(`${where} ${ip.address}: ${unsupported.join(', ')} not supported by kalint run yet - ignored`);
  return { address: ip.address, prefix: ip.prefix ?? (ip.family === 4 ? 32 : 128), device: word(item, 'dev', 'interface') ?? ifname, family: ip.family, options, tracked: item.options['no_track'] === undefined };
}

const ROUTE_TYPES = new Set<RouteType>(['unicast', 'blackhole', 'unreachable', 'prohibit', 'throw']);
/** Route options kalint run sends; the others are reported and left out. */
const ROUTE_OPTIONS = new Set(['to', 'inet', 'inet6', 'src', 'via', 'gw', 'table', 'protocol', 'scope', 'metric', 'dev', 'no_track', 'add', 'prepend', 'append']);

/** A virtual_routes or static_routes item as keepalived's vrrp_iproute.c sends it; undefined when it cannot be. */
function routeOf(item: Item, problems: string[], where: string): RouteSpec | undefined {
  const text = item.words.map((w) => w.text).join(' ');
  const destination = item.params['destination'];
  const type = (item.params['type'] as string | undefined) ?? 'unicast';
  if (!ROUTE_TYPES.has(type as RouteType)) {
    problems.push(`${where} route type ${type} not supported by kalint run yet: ${text}`);
    return undefined;
  }
  let spec: RouteSpec;
  if (typeof destination === 'object' && destination !== null && 'address' in destination) {
    const ip = destination as IpValue;
    spec = { destination: ip.address, prefix: ip.prefix ?? (ip.family === 4 ? 32 : 128) };
  } else {
    const six = item.options['inet6'] !== undefined || destination === 'default6';
    spec = { destination: six ? '::' : '0.0.0.0', prefix: 0 };
  }
  if (type !== 'unicast') spec.type = type as RouteType;
  const via = item.options['via'] ?? item.options['gw'];
  if (via && via !== true) spec.via = (via['address'] as IpValue).address;
  const src = item.options['src'];
  if (src && src !== true) spec.src = (src['address'] as IpValue).address;
  const dev = word(item, 'dev', 'interface');
  if (dev) spec.dev = dev;
  const metric = item.options['metric'];
  if (metric && metric !== true && typeof metric['metric'] === 'number') spec.metric = metric['metric'];
  const named = (option: string, param: string, file: string, builtin: Record<string, number>): number | undefined => {
    const name = word(item, option, param);
    if (name === undefined) return undefined;
    const n = iproute2Number(file, name, builtin);
    if (n === undefined) problems.push(`${where} unknown ${option} '${name}' in route ${text} - ignoring it`);
    return n;
  };
  const table = named('table', 'table', 'rt_tables', { main: 254, local: 255, default: 253 });
  if (table !== undefined) spec.table = table;
  const scope = named('scope', 'scope', 'rt_scopes', SCOPES);
  if (scope !== undefined) spec.scope = scope;
  const protocol = named('protocol', 'protocol', 'rt_protos', { kernel: 2, boot: 3, static: 4, keepalived: 18 });
  if (protocol !== undefined) spec.protocol = protocol;
  const unsupported = Object.keys(item.options).filter((o) => !ROUTE_OPTIONS.has(o));
  if (unsupported.length) problems.push(`${where} ${unsupported.join(', ')} not supported by kalint run yet - left out of route ${text}`);
  return spec;
}

function routesOf(block: Block, keyword: string, problems: string[], where: string): RouteSpec[] {
  return itemsOf(block, keyword).flatMap((item) => routeOf(item, problems, where) ?? []);
}

/** The static addresses and routes of every top-level static_ipaddress / static_routes block. */
function staticOf(config: Config, problems: string[]): { addresses: Vip[]; routes: RouteSpec[] } {
  const addresses: Vip[] = [];
  const routes: RouteSpec[] = [];
  for (const n of config.children) {
    if (n.type !== 'List') continue;
    if (n.keyword.text === 'static_ipaddress') {
      for (const item of n.items) {
        const ip = ipOf(item);
        const dev = word(item, 'dev', 'interface');
        if (ip && dev) addresses.push({ ...vipOf(ip, item, dev, problems, 'static_ipaddress'), tracked: false });
        else if (ip) problems.push(`static_ipaddress ${ip.address} needs a dev`);
      }
    } else if (n.keyword.text === 'static_routes') {
      for (const item of n.items) {
        const route = routeOf(item, problems, 'static_routes');
        if (route) routes.push(route);
      }
    }
  }
  return { addresses, routes };
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** keepalived's global GARP defaults; vrrp_min_garp lowers them to one ARP and nothing after. */
function globalGarp(globals: model.GlobalDefs) {
  const min = globals.value('vrrp_min_garp') === true;
  const repeat = num(globals.value('vrrp_garp_master_repeat')) ?? (min ? 1 : 5);
  const delay = num(globals.value('vrrp_garp_master_delay')) ?? (min ? 0 : 5);
  return {
    repeat,
    delay,
    refresh: num(globals.value('vrrp_garp_master_refresh')) ?? 0,
    refreshRepeat: num(globals.value('vrrp_garp_master_refresh_repeat')) ?? 1,
    lowerPrioRepeat: num(globals.value('vrrp_garp_lower_prio_repeat')) ?? repeat,
    lowerPrioDelay: num(globals.value('vrrp_garp_lower_prio_delay')) ?? delay,
    interval: num(globals.value('vrrp_garp_interval')) ?? 0,
  };
}

/** The garp_interval of the garp_group that lists the interface, if any. */
function groupInterval(config: Config, ifname: string): number | undefined {
  for (const group of blocksOf(config, 'garp_group')) {
    const listed = lastStatement(group, 'interface')?.params['interface'] === ifname || itemsOf(group, 'interfaces').some((i) => i.words[0]?.text === ifname);
    if (listed) return num(valueOf(group, 'garp_interval'));
  }
  return undefined;
}

function garpTiming(block: Block, config: Config, globals: model.GlobalDefs, ifname: string): GarpTiming {
  const g = globalGarp(globals);
  const own = (keyword: string) => num(valueOf(block, keyword));
  // Strict mode sends nothing extra on hearing a lower priority (vrrp.c).
  const strict = model.isStrict(block, globals);
  return {
    repeat: own('garp_master_repeat') ?? g.repeat,
    delayMs: (own('garp_master_delay') ?? g.delay) * 1000,
    refreshMs: (own('garp_master_refresh') ?? g.refresh) * 1000,
    refreshRepeat: own('garp_master_refresh_repeat') ?? g.refreshRepeat,
    lowerPrioRepeat: strict ? 0 : (own('garp_lower_prio_repeat') ?? g.lowerPrioRepeat),
    lowerPrioDelayMs: strict ? 0 : (own('garp_lower_prio_delay') ?? g.lowerPrioDelay) * 1000,
    intervalMs: Math.round((groupInterval(config, ifname) ?? g.interval) * 1000),
  };
}

/**
 * keepalived's accept mode (vrrp.c): the last accept / no_accept, else on
 * for an address owner and off in strict mode; strict VRRPv2 below 255
 * never accepts.
 */
function acceptMode(block: Block, s: model.InstanceSettings): boolean {
  const last = block.children.filter((n) => n.def.name === 'accept' || n.def.name === 'no_accept').pop();
  const accept = last ? last.def.name === 'accept' : s.priority === 255 || !s.strict;
  return accept && !(s.strict && s.version === 2 && s.priority !== 255);
}

export function runConfig(config: Config, addressOf: (ifname: string, family: 4 | 6) => string | undefined = primaryAddressOf): RunConfig {
  const globals = new model.GlobalDefs(config);
  const groups = model.syncGroupsOf(config);
  const problems: string[] = [];
  const instances: RunInstance[] = [];
  for (const block of model.instancesOf(config)) {
    const name = block.name ?? '?';
    const s = model.instanceSettings(block, globals);
    const ifname = valueOf(block, 'interface');
    const vrid = valueOf(block, 'virtual_router_id');
    if (typeof ifname !== 'string' || typeof vrid !== 'number') {
      problems.push(`(${name}) needs an interface and a virtual_router_id`);
      continue;
    }
    const unicast = model.unicastOf(block);
    const primary = unicast.source?.address ?? addressOf(ifname, s.family);
    if (!primary) {
      problems.push(`(${name}) interface ${ifname} has no ${s.family === 4 ? 'IPv4' : 'IPv6 link-local'} address`);
      continue;
    }
    const auth = model.authenticationOf(block);
    if (auth?.type === 'AH') problems.push(`(${name}) auth_type AH is not supported; the instance runs without authentication`);
    const advert = valueOf(block, 'advert_int');
    const delay = s.preemptDelay && !s.preemptDelayCleared ? Number(s.preemptDelay.params['seconds'] ?? 0) : 0;
    const settings: InstanceSettings = {
      name,
      vrid,
      version: s.version,
      priority: s.priority,
      advertIntervalMs: Math.round((typeof advert === 'number' ? advert : 1) * 1000),
      addresses: model.addressesOf(block, 'virtual_ipaddress').filter((a) => a.ip.family === s.family).map((a) => canonicalIp(a.ip.address)),
      primaryAddress: primary,
      initialMaster: s.wantState === 'MASTER',
      preempt: !model.keepsNopreempt(s),
      preemptDelayMs: delay * 1000,
      downTimerAdverts: 3,
    };
    if (s.version === 2 && auth?.type === 'PASS') settings.auth = { type: 'pass', password: auth.pass ?? '' };
    const where = `(${name})`;
    // keepalived drops advertised VIPs of the other family; excluded ones may be of either.
    const advertised = model.addressesOf(block, 'virtual_ipaddress').filter((a) => {
      if (a.ip.family !== s.family) problems.push(`${where} ${a.ip.address} is not of the instance's address family - ignoring it`);
      return a.ip.family === s.family;
    });
    const vips = [...advertised, ...model.addressesOf(block, 'virtual_ipaddress_excluded')].map((a) => vipOf(a.ip, a.item, ifname, problems, where));
    const multicast = globals.value(s.family === 4 ? 'vrrp_mcast_group4' : 'vrrp_mcast_group6');
    const entry: RunInstance = {
      block,
      family: s.family,
      interface: ifname,
      settings,
      garp: garpTiming(block, config, globals, ifname),
      vips,
      routes: routesOf(block, 'virtual_routes', problems, where),
      peers: unicast.peers.map((p) => p.ip.address),
      unicastTtl: Math.max(1, num(valueOf(block, 'unicast_ttl')) ?? 255),
      accept: acceptMode(block, s),
      multicast: typeof multicast === 'object' && multicast !== null && 'address' in multicast ? (multicast as IpValue).address : s.family === 4 ? '224.0.0.18' : 'ff02::12',
    };
    const group = groups.groupOf.get(name)?.group.name;
    if (group) entry.group = group;
    instances.push(entry);
  }
  const fixed = staticOf(config, problems);
  const out: RunConfig = { instances, staticAddresses: fixed.addresses, staticRoutes: fixed.routes, problems };
  const guarded = instances.filter((i) => !i.accept).flatMap((i) => i.vips);
  if (guarded.length) {
    const table = globals.statement('nftables')?.params['table'];
    out.firewall = {
      table: typeof table === 'string' ? table : 'keepalived',
      priority: num(globals.value('nftables_priority')) ?? -1,
      counters: globals.has('nftables_counters'),
      vips: guarded,
    };
  }
  return out;
}
