/**
 * The virtual servers keepalived's checker would program into IPVS, as an
 * nftables ruleset (for hosts without IPVS) and as `ipvsadm-restore` input.
 * The translator starts from the LVS model (grammar/model/lvs.ts): the real
 * servers keepalived keeps, their effective ports, weights and forwarding
 * methods. `kalint run` (runtime/dataplane/nftables.ts) builds the same
 * ruleset from the live state its checkers keep, with `serviceRules`,
 * `nftRuleset` and `nftUpdate`.
 *
 * nftables has no connection-counting schedulers: rr and wrr become
 * `numgen inc` over weight-sized slots, sh and dh `jhash` of the source or
 * destination address; lc, wlc, sed, nq and the other schedulers that count
 * connections are approximated by wrr, with a warning naming the
 * approximation. Persistence of NAT services is a map from client to real
 * server with the persistence timeout, filled in the forward hook and looked
 * up before scheduling; elsewhere (direct routing, real servers on different
 * ports) it is approximated by source hashing, with a warning. Real servers
 * with weight 0 are drained (left out); with none left, traffic goes to the
 * sorry server, and without one new connections are refused with ICMP port
 * unreachable, as IPVS refuses them (ip_vs_leave).
 *
 * Layout: one `inet` table and one `netdev` table (direct routing), both named
 * kalint_lvs by default. Base chains dispatch on the firewall mark, then on
 * `daddr . l4proto . dport`, through verdict maps to one chain per service;
 * a service owns its chains, its persistence map and its dispatch entries,
 * so that one service can be rewritten in a transaction that touches nothing
 * of the others.
 */
import type { Block, Config } from '../grammar/ast.ts';
import { model } from '../grammar/index.ts';

export interface RulesOutput {
  text: string;
  warnings: { message: string; node: Block }[];
}

/*
 * The generator's input. runtime/dataplane/types.ts extends these shapes
 * (translate/ does not import runtime/); `sorry` is the translator's: the
 * runtime's checker puts the sorry server among the destinations itself.
 */
export type LvsForwarding = 'NAT' | 'DR' | 'TUN';

export interface LvsVirtualService {
  /** Stable identity, which names the service's chains: `tcp|192.0.2.1|80` or `fwmark|4|1`. */
  id: string;
  family: 4 | 6;
  protocol: 'tcp' | 'udp' | 'sctp';
  address?: string;
  port: number;
  fwmark?: number;
  scheduler: string;
  /** Timeout in seconds; granularity as an IPv4 netmask or a prefix length. */
  persistence?: { timeout: number; netmask?: string | number };
  /** `virtual_server` header, for comments and warnings. */
  label: string;
}

export interface LvsDestination {
  address: string;
  port: number;
  weight: number;
  forwarding: LvsForwarding;
}

export interface LvsService<S extends LvsVirtualService = LvsVirtualService> {
  service: S;
  destinations: readonly LvsDestination[];
  /** Used when no destination has a weight. */
  sorry?: LvsDestination;
}

export interface NftTableOptions {
  /** The name of kalint's inet and netdev tables; kalint_lvs by default. */
  table?: string;
}

export interface NftLvsOptions<S extends LvsVirtualService = LvsVirtualService> extends NftTableOptions {
  /** The interface a direct-routing service's traffic arrives and leaves on (the VRRP interface carrying its VIP). */
  device?: (service: S) => string | undefined;
}

type TableFamily = 'inet' | 'netdev';

interface ServiceChain {
  family: TableFamily;
  name: string;
  rules: string[];
  /** The persistence maps its rules name: recreating one rewrites the chain. */
  maps: string[];
}

interface PersistenceMap {
  name: string;
  /** What follows `map NAME {`, one statement a line. */
  declaration: string[];
  /** The addresses its entries can point to: losing one flushes it (IPVS drops the templates of a removed destination). */
  targets: string[];
}

/** `key : goto chain` in one of the dispatch maps. */
interface DispatchEntry {
  family: TableFamily;
  map: string;
  key: string;
  chain: string;
}

/** What one service puts into kalint's tables. */
export interface ServiceRules {
  id: string;
  chains: ServiceChain[];
  maps: PersistenceMap[];
  entries: DispatchEntry[];
  /** The interface whose ingress chain its direct-routing chain hangs from. */
  device?: string;
  warnings: string[];
}

const HASHED = new Set(['sh', 'dh', 'mh']);
const ROUND_ROBIN = new Set(['rr', 'wrr']);

const tableOf = (options: NftTableOptions) => options.table ?? 'kalint_lvs';

/** nft identifiers are letters, digits and underscores here; ids and interface names are mapped onto them. */
const identifier = (text: string) => text.replace(/[^A-Za-z0-9]/g, '_');
const chainOf = (id: string) => `svc_${identifier(id)}`;
const ingressOf = (device: string) => `ingress_${identifier(device)}`;
const quoted = (text: string) => `"${text.replace(/"/g, "'")}"`;

/** Weight-sized slots for the round-robin counter: `0-0 : a, 1-2 : b` for weights 1 and 2. */
function slots(destinations: readonly LvsDestination[], target: (d: LvsDestination) => string): { modulus: number; map: string } {
  let at = 0;
  const entries: string[] = [];
  for (const d of destinations) {
    entries.push(`${d.weight > 1 ? `${at}-${at + d.weight - 1}` : at} : ${target(d)}`);
    at += d.weight;
  }
  return { modulus: at, map: entries.join(', ') };
}

/** The mask persistence granularity applies to client addresses, unless it keeps the whole address. */
function granularity(family: 4 | 6, netmask: string | number | undefined): string | undefined {
  if (netmask === undefined) return undefined;
  if (typeof netmask === 'string') return netmask === '255.255.255.255' ? undefined : netmask;
  const bits = family === 6 ? 128 : 32;
  if (netmask >= bits) return undefined;
  const groups: number[] = [];
  for (let at = 0; at < bits; at += family === 6 ? 16 : 8) {
    const width = family === 6 ? 16 : 8;
    const kept = Math.min(width, Math.max(0, netmask - at));
    groups.push(((1 << width) - (1 << (width - kept))) & ((1 << width) - 1));
  }
  return family === 6 ? groups.map((g) => g.toString(16)).join(':') : groups.join('.');
}

/** The chains, persistence map and dispatch entries of one service. */
export function serviceRules<S extends LvsVirtualService>(input: LvsService<S>, options: NftLvsOptions<S> = {}): ServiceRules {
  const s = input.service;
  const ip = s.family === 6 ? 'ip6' : 'ip';
  const where = s.label;
  const chain = chainOf(s.id);
  const out: ServiceRules = { id: s.id, chains: [], maps: [], entries: [], warnings: [] };
  const family = s.family === 6 ? '6' : '4';
  /** A dispatch entry of the inet table: scheduling (nat hooks) or remembering persistent clients (forward hook). */
  const inetEntry = (kind: 'services' | 'persistent', target: string) =>
    out.entries.push(
      s.fwmark !== undefined
        ? { family: 'inet', map: kind === 'services' ? 'marks' : 'persistent_marks', key: `${s.family === 6 ? 'ipv6' : 'ipv4'} . ${s.fwmark}`, chain: target }
        : { family: 'inet', map: `${kind}${family}`, key: `${s.address} . ${s.protocol} . ${s.port}`, chain: target },
    );
  const live = input.destinations.filter((d) => d.weight > 0);
  const serving = live.length ? live : input.sorry ? [{ ...input.sorry, weight: 1 }] : [];
  if (!serving.length) {
    out.chains.push({ family: 'inet', name: chain, rules: [`reject comment ${quoted(`${where}: no real server`)}`], maps: [] });
    inetEntry('services', chain);
    return out;
  }
  let scheduler = s.scheduler;
  const natOnly = serving.every((d) => d.forwarding !== 'DR');
  const oneTargetPort = serving.every((d) => d.port === serving[0]!.port);
  // NAT keeps a client on its real server with a map the forward hook fills (client -> real server, with the timeout).
  const persistMap = s.persistence !== undefined && natOnly && oneTargetPort ? `${chain}_clients` : undefined;
  if (s.persistence !== undefined && !persistMap && !HASHED.has(scheduler)) {
    out.warnings.push(`${where}: persistence for ${s.persistence.timeout} s approximated by hashing the client address (nftables keeps no per-client timeout here)`);
    scheduler = 'sh';
  }
  if (!ROUND_ROBIN.has(scheduler) && !HASHED.has(scheduler)) {
    out.warnings.push(`${where}: scheduler ${scheduler} counts connections, which nftables cannot; approximated by weighted round robin`);
    scheduler = 'wrr';
  }
  if (new Set(serving.map((d) => d.forwarding)).size > 1) out.warnings.push(`${where}: mixed forwarding methods; each real server keeps its own`);
  const equalWeights = scheduler === 'rr' || HASHED.has(scheduler);
  const weighted = equalWeights ? serving.map((d) => ({ ...d, weight: 1 })) : serving;
  const key = scheduler === 'dh' ? `jhash ${ip} daddr mod` : HASHED.has(scheduler) ? `jhash ${ip} saddr mod` : 'numgen inc mod';
  const natTargets = weighted.filter((d) => d.forwarding !== 'DR');
  if (natTargets.length) {
    const samePort = natTargets.every((d) => d.port === natTargets[0]!.port);
    const target = (d: LvsDestination) => (samePort ? d.address : `${d.address} . ${d.port}`);
    const { modulus, map } = slots(natTargets, target);
    const portSuffix = natTargets[0]!.port !== s.port ? ` : ${natTargets[0]!.port}` : '';
    // nft maps ports only after a transport protocol match; a firewall mark may carry any of them.
    const l4 = portSuffix || !samePort ? `meta l4proto ${s.fwmark !== undefined ? '{ tcp, udp, sctp }' : s.protocol} ` : '';
    const to = samePort ? `${l4}dnat ${ip} to ${key} ${modulus} map { ${map} }${portSuffix}` : `${l4}dnat ${ip} addr . port to ${key} ${modulus} map { ${map} }`;
    if (natTargets.some((d) => d.forwarding === 'TUN')) out.warnings.push(`${where}: tunnelled real servers are reached by NAT (nftables has no IPIP encapsulation)`);
    const rules: string[] = [];
    if (persistMap) {
      const addrType = s.family === 6 ? 'ipv6_addr' : 'ipv4_addr';
      const mask = granularity(s.family, s.persistence!.netmask);
      const client = mask ? `${ip} saddr & ${mask}` : `${ip} saddr`;
      // Drained destinations keep their clients, as IPVS keeps using templates to a quiescent destination.
      const kept = [...input.destinations, ...(live.length ? [] : serving)].filter((d) => d.forwarding !== 'DR' && d.port === serving[0]!.port);
      const targets = [...new Set(kept.map((d) => d.address))];
      out.maps.push({ name: persistMap, declaration: [`type ${addrType} : ${addrType}`, 'flags dynamic,timeout', `timeout ${s.persistence!.timeout}s`], targets });
      rules.push(`${l4}dnat ${ip} to ${client} map @${persistMap}${portSuffix} comment ${quoted(`${where}: persistent clients`)}`);
      // Only packets towards a current target record a client: replies, and connections to a removed destination, do not.
      const remember = `${chain}_persist`;
      out.chains.push({ family: 'inet', name: remember, rules: [`${ip} daddr { ${targets.join(', ')} } update @${persistMap} { ${client} : ${ip} daddr } comment ${quoted(where)}`], maps: [persistMap] });
      inetEntry('persistent', remember);
    }
    rules.push(`${to} comment ${quoted(where)}`);
    out.chains.unshift({ family: 'inet', name: chain, rules, maps: persistMap ? [persistMap] : [] });
    inetEntry('services', chain);
  }
  const dr = weighted.filter((d) => d.forwarding === 'DR');
  if (dr.length) {
    const { modulus, map } = slots(dr, (d) => d.address);
    // The real servers share the director's segment; the VIP arrives, and leaves again, on the VRRP interface carrying it.
    const known = options.device?.(s);
    const device = known ?? 'eth0';
    if (!known) out.warnings.push(`${where}: no vrrp_instance carries this address; direct routing assumes interface eth0`);
    out.device = device;
    const name = `${chain}_dr`;
    out.chains.push({ family: 'netdev', name, rules: [`fwd ${ip} to ${key} ${modulus} map { ${map} } device ${quoted(device)} comment ${quoted(where)}`], maps: [] });
    out.entries.push(
      s.fwmark !== undefined
        ? { family: 'netdev', map: 'marks', key: `${quoted(device)} . ${ip} . ${s.fwmark}`, chain: name }
        : { family: 'netdev', map: `services${family}`, key: `${quoted(device)} . ${s.address} . ${s.protocol} . ${s.port}`, chain: name },
    );
  }
  return out;
}

/** The dispatch maps of each table, with their key types. */
const DISPATCH_MAPS: Record<TableFamily, [string, string][]> = {
  inet: [
    ['marks', 'nf_proto . mark'],
    ['services4', 'ipv4_addr . inet_proto . inet_service'],
    ['services6', 'ipv6_addr . inet_proto . inet_service'],
    ['persistent_marks', 'nf_proto . mark'],
    ['persistent4', 'ipv4_addr . inet_proto . inet_service'],
    ['persistent6', 'ipv6_addr . inet_proto . inet_service'],
  ],
  netdev: [
    ['marks', 'ifname . ether_type . mark'],
    ['services4', 'ifname . ipv4_addr . inet_proto . inet_service'],
    ['services6', 'ifname . ipv6_addr . inet_proto . inet_service'],
  ],
};

// The mark first: IPVS looks a packet's firewall mark up before its address. `goto` ends the base chain with the
// service's chain, so a packet meets one service at most.
const NAT_DISPATCH = ['meta nfproto . meta mark vmap @marks', 'ip daddr . meta l4proto . th dport vmap @services4', 'ip6 daddr . meta l4proto . th dport vmap @services6'];
/** The base chains of the inet table: their hook line and rules. */
const INET_BASE: [string, string, string[]][] = [
  ['prerouting', 'type nat hook prerouting priority dstnat; policy accept;', NAT_DISPATCH],
  ['output', 'type nat hook output priority -100; policy accept;', NAT_DISPATCH],
  [
    'forward',
    'type filter hook forward priority 0; policy accept;',
    [
      'meta nfproto . meta mark vmap @persistent_marks',
      // nft gives `ct original proto-dst` a type only once the protocol is known.
      'meta l4proto { tcp, udp, sctp } ct original ip daddr . meta l4proto . ct original proto-dst vmap @persistent4',
      'meta l4proto { tcp, udp, sctp } ct original ip6 daddr . meta l4proto . ct original proto-dst vmap @persistent6',
    ],
  ],
];
const INGRESS_DISPATCH = [
  'meta iifname . meta protocol . meta mark vmap @marks',
  'meta iifname . ip daddr . meta l4proto . th dport vmap @services4',
  'meta iifname . ip6 daddr . meta l4proto . th dport vmap @services6',
];
const ingressHook = (device: string) => `type filter hook ingress device ${quoted(device)} priority 0; policy accept;`;

const devicesOf = (services: Iterable<ServiceRules>) => [...new Set([...services].flatMap((s) => (s.device ? [s.device] : [])))];

/** `nft -f` input that replaces kalint's tables (residue of an earlier run included) with `services`. */
export function nftRuleset(services: readonly ServiceRules[], options: NftTableOptions = {}): string {
  const table = tableOf(options);
  const out = [`table inet ${table}`, `delete table inet ${table}`, `table netdev ${table}`, `delete table netdev ${table}`];
  const block = (lines: string[]) => lines.map((l) => `        ${l}`);
  for (const family of ['inet', 'netdev'] as const) {
    out.push(`table ${family} ${table} {`);
    for (const [map, type] of DISPATCH_MAPS[family]) {
      const entries = services.flatMap((s) => s.entries.filter((e) => e.family === family && e.map === map));
      out.push(`    map ${map} {`, `        type ${type} : verdict`);
      if (entries.length) out.push('        elements = {', ...entries.map((e, i) => `            ${e.key} : goto ${e.chain}${i < entries.length - 1 ? ',' : ''}`), '        }');
      out.push('    }');
    }
    if (family === 'inet') {
      for (const m of services.flatMap((s) => s.maps)) out.push(`    map ${m.name} {`, ...block(m.declaration), '    }');
      for (const [name, hook, rules] of INET_BASE) out.push(`    chain ${name} {`, ...block([hook, ...rules]), '    }');
    } else {
      for (const device of devicesOf(services)) out.push(`    chain ${ingressOf(device)} {`, ...block([ingressHook(device), ...INGRESS_DISPATCH]), '    }');
    }
    for (const c of services.flatMap((s) => s.chains.filter((c) => c.family === family))) out.push(`    chain ${c.name} {`, ...block(c.rules), '    }');
    out.push('}');
  }
  return `${out.join('\n')}\n`;
}

const sameLines = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((l, i) => l === b[i]);

/**
 * One `nft -f` transaction turning the tables of `before` into those of
 * `after` for the services `changed` names, leaving every other service's
 * chains, maps and entries as they are. Empty when nothing needs to change.
 */
export function nftUpdate(before: ReadonlyMap<string, ServiceRules>, after: ReadonlyMap<string, ServiceRules>, changed: Iterable<string>, options: NftTableOptions = {}): string {
  const table = tableOf(options);
  // In this order, nothing is deleted while something still refers to it and nothing is referred to before it exists.
  const unhook: string[] = [];
  const chainsOut: string[] = [];
  const mapsOut: string[] = [];
  const ingress: string[] = [];
  const mapsIn: string[] = [];
  const chainsIn: string[] = [];
  const hook: string[] = [];
  for (const id of new Set(changed)) {
    const was = before.get(id);
    const is = after.get(id);
    const recreated = new Set<string>();
    const oldMaps = new Map(was?.maps.map((m) => [m.name, m]));
    const newMaps = new Map(is?.maps.map((m) => [m.name, m]));
    for (const [name, m] of oldMaps) {
      const next = newMaps.get(name);
      if (!next || !sameLines(m.declaration, next.declaration)) {
        mapsOut.push(`delete map inet ${table} ${name}`);
        if (next) recreated.add(name);
      } else if (m.targets.some((t) => !next.targets.includes(t))) {
        mapsOut.push(`flush map inet ${table} ${name}`);
      }
    }
    for (const [name, m] of newMaps) {
      if (!oldMaps.has(name) || recreated.has(name)) mapsIn.push(`add map inet ${table} ${name} { ${m.declaration.join('; ')}; }`);
    }
    const entryKey = (e: DispatchEntry) => `${e.family} ${e.map} ${e.key}`;
    const oldEntries = new Map(was?.entries.map((e) => [entryKey(e), e]));
    const newEntries = new Map(is?.entries.map((e) => [entryKey(e), e]));
    for (const [k, e] of oldEntries) if (newEntries.get(k)?.chain !== e.chain) unhook.push(`delete element ${e.family} ${table} ${e.map} { ${e.key} }`);
    for (const [k, e] of newEntries) if (oldEntries.get(k)?.chain !== e.chain) hook.push(`add element ${e.family} ${table} ${e.map} { ${e.key} : goto ${e.chain} }`);
    const chainKey = (c: ServiceChain) => `${c.family} ${c.name}`;
    const oldChains = new Map(was?.chains.map((c) => [chainKey(c), c]));
    const newChains = new Map(is?.chains.map((c) => [chainKey(c), c]));
    for (const [k, c] of oldChains) if (!newChains.has(k)) chainsOut.push(`delete chain ${c.family} ${table} ${c.name}`);
    for (const [k, c] of newChains) {
      const old = oldChains.get(k);
      if (old && sameLines(old.rules, c.rules) && !c.maps.some((m) => recreated.has(m))) continue;
      if (old) chainsOut.push(`flush chain ${c.family} ${table} ${c.name}`);
      else chainsIn.push(`add chain ${c.family} ${table} ${c.name}`);
      chainsIn.push(...c.rules.map((r) => `add rule ${c.family} ${table} ${c.name} ${r}`));
    }
  }
  const oldDevices = devicesOf(before.values());
  const newDevices = devicesOf(after.values());
  for (const d of oldDevices) if (!newDevices.includes(d)) ingress.push(`delete chain netdev ${table} ${ingressOf(d)}`);
  for (const d of newDevices) {
    if (oldDevices.includes(d)) continue;
    ingress.push(`add chain netdev ${table} ${ingressOf(d)} { ${ingressHook(d)} }`, ...INGRESS_DISPATCH.map((r) => `add rule netdev ${table} ${ingressOf(d)} ${r}`));
  }
  const lines = [...unhook, ...chainsOut, ...mapsOut, ...ingress, ...mapsIn, ...chainsIn, ...hook];
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** `nft -f` input that removes kalint's tables, whether they are there or not. */
export function nftDelete(options: NftTableOptions = {}): string {
  const table = tableOf(options);
  return `table inet ${table}\ndelete table inet ${table}\ntable netdev ${table}\ndelete table netdev ${table}\n`;
}

/** A virtual_server the translator turns into a service, and the block it comes from. */
interface Plan extends LvsService {
  node: Block;
}

/** The services to translate; warnings for those that cannot be. */
function plans(config: Config, warnings: RulesOutput['warnings']): Plan[] {
  const out: Plan[] = [];
  for (const vs of config.children) {
    if (vs.type !== 'Block' || vs.blockId !== 'virtual_server') continue;
    const service = model.serviceOf(vs, config);
    if (!service) continue;
    if (service.kind === 'group') {
      warnings.push({ message: `virtual_server group ${String(vs.params['group'])}: groups are not translated; write a virtual_server per address`, node: vs });
      continue;
    }
    const scheduler = String(model.lastAccepted(vs, 'lvs_sched', 'scheduler')?.value ?? 'wlc');
    const protocol = String(model.lastAccepted(vs, 'protocol', 'protocol')?.value ?? 'TCP').toLowerCase() as LvsVirtualService['protocol'];
    const family = service.family ?? service.address?.family ?? 4;
    const destination = (s: model.Server): LvsDestination => ({ address: s.ip.address, port: s.effectivePort || service.port, weight: s.weight, forwarding: s.method });
    const mark = service.kind === 'address' ? undefined : Number(vs.params['mark']);
    const virtual: LvsVirtualService =
      mark === undefined
        ? { id: `${protocol}|${service.address!.address}|${service.port}`, family, protocol, address: service.address!.address, port: service.port, scheduler, label: `virtual_server ${service.address!.address} ${service.port}` }
        : { id: `fwmark|${family}|${mark}`, family, protocol, port: service.port, fwmark: mark, scheduler, label: `virtual_server fwmark ${mark}` };
    if (service.persistent) virtual.persistence = { timeout: Number(model.lastAccepted(vs, 'persistence_timeout', 'seconds')?.value ?? 360) };
    const plan: Plan = { node: vs, service: virtual, destinations: service.realServers.map(destination) };
    if (service.sorry) plan.sorry = destination(service.sorry);
    out.push(plan);
  }
  return out;
}

export function toNftables(config: Config): RulesOutput {
  const warnings: RulesOutput['warnings'] = [];
  const services: ServiceRules[] = [];
  const seen = new Set<string>();
  const device = (s: LvsVirtualService) => (s.address ? vipInterface(config, s.address) : undefined);
  for (const p of plans(config, warnings)) {
    const where = p.service.label;
    // A second service with the same address, port and protocol could never see a packet.
    if (seen.has(p.service.id)) {
      warnings.push({ message: `${where}: the same service as an earlier virtual_server; only the first is translated`, node: p.node });
      continue;
    }
    seen.add(p.service.id);
    if (!p.sorry && p.destinations.every((d) => d.weight <= 0)) {
      warnings.push({ message: `${where}: no real server with a weight and no sorry server; new connections to it are refused, as IPVS refuses them`, node: p.node });
    }
    const rules = serviceRules(p, { device });
    for (const message of rules.warnings) warnings.push({ message, node: p.node });
    services.push(rules);
  }
  const head = '#!/usr/sbin/nft -f\n# Generated by kalint translate --to nftables from keepalived virtual_server blocks.\n';
  return { text: head + nftRuleset(services), warnings };
}

/** The interface of the vrrp_instance whose virtual_ipaddress holds `address`: its `dev`, else the instance's interface. */
function vipInterface(config: Config, address: string): string | undefined {
  for (const instance of model.instancesOf(config)) {
    for (const vip of model.addressesOf(instance, 'virtual_ipaddress')) {
      if (vip.ip.address !== address) continue;
      const dev = vip.item.options['dev'];
      if (dev && dev !== true && typeof dev['interface'] === 'string') return dev['interface'];
      const own = model.lastAccepted(instance, 'interface', 'interface')?.value;
      if (typeof own === 'string') return own;
    }
  }
  return undefined;
}

const FORWARDING = { NAT: '-m', DR: '-g', TUN: '-i' } as const;

/** `ipvsadm-restore` input for the same services. */
export function toIpvsadm(config: Config): RulesOutput {
  const lines: string[] = [];
  const warnings: RulesOutput['warnings'] = [];
  for (const p of plans(config, warnings)) {
    const s = p.service;
    const service = s.fwmark !== undefined ? `-f ${s.fwmark}` : `${s.protocol === 'udp' ? '-u' : s.protocol === 'sctp' ? '--sctp-service' : '-t'} ${s.family === 6 ? `[${s.address}]` : s.address}:${s.port}`;
    lines.push(`-A ${service} -s ${s.scheduler}${s.persistence !== undefined ? ` -p ${s.persistence.timeout}` : ''}`);
    const servers = p.destinations.length ? p.destinations : p.sorry ? [p.sorry] : [];
    for (const d of servers) {
      const address = s.family === 6 ? `[${d.address}]` : d.address;
      lines.push(`-a ${service} -r ${d.port ? `${address}:${d.port}` : address} ${FORWARDING[d.forwarding]} -w ${d.weight}`);
    }
  }
  return { text: lines.length ? `${lines.join('\n')}\n` : '', warnings };
}
