/**
 * What keepalived's checker process makes of a virtual_server block: its
 * kind, the group it serves, the real and sorry servers it keeps (after the
 * address-family checks of `rs_end_handler` / `vs_end_handler`), their
 * forwarding methods, the ports `validate_check_config` gives them, their
 * weights and the quorum.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { type Block, childrenNamed, type Config, ipOf, type Item, type List, type Node, type Statement, statementsNamed } from '../ast.ts';
import { canonicalIp, checkValue, type IpValue, type Value } from '../values.ts';

export type Method = 'NAT' | 'DR' | 'TUN';

/** A real server, or the sorry server, as keepalived keeps it. */
export interface Server {
  /** The real_server block or the sorry_server statement. */
  node: Block | Statement;
  ip: IpValue;
  /** The port written (0: none). */
  port: number;
  /** Its own lvs_method (sorry_server_lvs_method for the sorry server), if accepted. */
  ownMethod?: Statement;
  /** The forwarding method keepalived uses. */
  method: Method;
  /** The port keepalived gives it (`validate_check_config` resets and inherits ports; a group service keeps them). */
  effectivePort: number;
  /** The weight keepalived gives it (its own, else the virtual server's, else 1). */
  weight: number;
}

export interface Service {
  vs: Block;
  kind: 'address' | 'fwmark' | 'group';
  /** The address form's address and port (0: none). */
  address?: IpValue;
  port: number;
  /** The virtual_server_group of the group form, and its entries keepalived accepts. */
  group?: List;
  entries: Item[];
  /** Serves addresses (address form, or a group with address entries): protocol, ops and port checks apply. */
  hasAddresses: boolean;
  /** Serves firewall marks (fwmark form, or a group with fwmark entries). */
  hasFwmarks: boolean;
  /** The last accepted lvs_method of the virtual server itself. */
  method?: Method;
  /** The service's address family once its real servers are read, and what set it. */
  family?: 4 | 6;
  familyFrom?: Node;
  /** ip_family statements keepalived rejects because they conflict with the family already set. */
  familyConflicts: Statement[];
  /** Real servers keepalived keeps after the family check, duplicates included, in order. */
  realServers: Server[];
  /** Real servers dropped because their family differs from the service's. */
  familyDropped: Server[];
  /** real_server blocks keepalived discards for a bad header. */
  discarded: Block[];
  sorry?: Server;
  /** The sorry server, when dropped for its family. */
  sorryDropped?: Server;
  persistent: boolean;
}

/** The value of parameter `name` of `s`, unless keepalived rejects the word (then it ignores the statement). */
export function accepted(s: Statement | undefined, name: string): Value | undefined {
  if (!s) return undefined;
  const params = s.def.syntax.params;
  const i = params.findIndex((p) => p.name === name);
  const v = s.params[name];
  if (i < 0 || v === undefined || Array.isArray(v)) return undefined;
  const word = s.words[i];
  if (word && checkValue(params[i]!.type, word.text).problem?.severity === 'error') return undefined;
  return v;
}


/** The value of the last statement `keyword` in `parent` (or in `nodes`) keepalived accepts. */
export function lastAccepted(nodes: { children: Node[] } | Node[], keyword: string, name: string): { value: Value; statement: Statement } | undefined {
  const list = Array.isArray(nodes) ? nodes.filter((n): n is Statement => n.type === 'Statement' && (n.def.name === keyword || n.def.aliasOf === keyword)) : statementsNamed(nodes, keyword);
  for (let i = list.length - 1; i >= 0; i--) {
    const value = accepted(list[i], name);
    if (value !== undefined) return { value, statement: list[i]! };
  }
  return undefined;
}

const methodOf = (nodes: { children: Node[] } | Node[], keyword: string) => {
  const m = lastAccepted(nodes, keyword, 'method');
  return m ? { method: m.value as Method, statement: m.statement } : undefined;
};


/** The family of a virtual_server_group address entry (`IP`, `IP-LAST`, `IP-IP`, `IP/PREFIX`), if it parses. */
function entryFamily(item: Item): 4 | 6 | undefined {
  const a = item.params['address'];
  if (typeof a !== 'string') return undefined;
  const first = a.split('/')[0]!.split('-')[0]!;
  return isIPv4(first) ? 4 : isIPv6(first) ? 6 : undefined;
}

const isFwmarkEntry = (item: Item) => typeof item.params['mark'] === 'number';

/** The virtual_server_group keepalived links to `name`: the first one defined. */
export function findGroup(config: Config, name: string): List | undefined {
  return childrenNamed(config, 'virtual_server_group').find((n): n is List => n.type === 'List' && n.params['name'] === name);
}

function isPersistent(vs: Block): boolean {
  if (statementsNamed(vs, 'persistence_timeout').some((s) => s.words.length === 0 || accepted(s, 'seconds') !== undefined)) return true;
  return statementsNamed(vs, 'persistence_granularity').some((s) => {
    const w = s.words[0]?.text ?? '';
    return isIPv4(w) || (/^[0-9]+$/.test(w) && Number(w) >= 1 && Number(w) <= 128);
  });
}

const cache = new WeakMap<Block, Service | null>();

/** The service keepalived builds from `vs`; undefined when it discards the block or its group does not exist. */
export function serviceOf(vs: Block, config: Config): Service | undefined {
  let s = cache.get(vs);
  if (s === undefined) {
    s = build(vs, config) ?? null;
    cache.set(vs, s);
  }
  return s ?? undefined;
}

function build(vs: Block, config: Config): Service | undefined {
  if (vs.ignored) return undefined;
  const address = ipOf(vs);
  const groupName = vs.params['group'];
  let s: Service;
  const port = vs.params['port'];
  // One object literal per service, not spreads of a common base: spreading is the slow path in V8.
  const service = (kind: Service['kind'], entries: Item[], hasAddresses: boolean, hasFwmarks: boolean): Service => ({
    vs,
    kind,
    port: kind === 'address' && typeof port === 'number' ? port : 0,
    entries,
    hasAddresses,
    hasFwmarks,
    familyConflicts: [],
    realServers: [],
    familyDropped: [],
    discarded: [],
    persistent: isPersistent(vs),
  });
  if (address) {
    s = service('address', [], true, false);
    s.address = address;
    s.family = address.family;
  } else if (typeof vs.params['mark'] === 'number') {
    s = service('fwmark', [], false, true);
  } else if (typeof groupName === 'string') {
    const group = findGroup(config, groupName);
    const entries = group?.items.filter((i) => isFwmarkEntry(i) || entryFamily(i) !== undefined) ?? [];
    if (!group || !entries.length) return undefined;
    s = service('group', entries, entries.some((i) => !isFwmarkEntry(i)), entries.some(isFwmarkEntry));
    s.group = group;
  } else {
    return undefined;
  }

  const vsWeight = lastAccepted(vs, 'weight', 'weight')?.value;
  const finalMethod = methodOf(vs, 'lvs_method')?.method;
  if (finalMethod) s.method = finalMethod;
  const setFamily = (f: 4 | 6, from: Node) => {
    s.family = f;
    s.familyFrom = from;
  };
  // keepalived reads the block in order: a real or sorry server starts with the virtual server's method so far.
  let before: Method | undefined;
  let sorry: { statement: Statement; ip: IpValue; port: number; before: Method | undefined; own?: Statement; method?: Method } | undefined;
  for (const n of vs.children) {
    if (n.type === 'Statement' && (n.def.aliasOf ?? n.def.name) === 'lvs_method') {
      before = methodOf([n], 'lvs_method')?.method ?? before;
    } else if (n.type === 'Statement' && n.def.name === 'ip_family') {
      const f = accepted(n, 'family') === 'inet' ? 4 : accepted(n, 'family') === 'inet6' ? 6 : undefined;
      if (f && s.family === undefined) setFamily(f, n);
      else if (f && f !== s.family) s.familyConflicts.push(n);
    } else if (n.type === 'Statement' && n.def.name === 'persistence_granularity' && s.family === undefined) {
      const w = n.words[0]?.text ?? '';
      if (isIPv4(w)) setFamily(4, n);
      else if (/^[0-9]+$/.test(w) && Number(w) >= 1 && Number(w) <= 128) setFamily(6, n);
    } else if (n.type === 'Statement' && n.def.name === 'sorry_server') {
      const ip = ipOf(n);
      const port = n.params['port'];
      if (ip) sorry = { statement: n, ip, port: typeof port === 'number' ? port : 0, before };
    } else if (n.type === 'Statement' && n.def.name === 'sorry_server_lvs_method' && sorry) {
      const m = methodOf([n], 'sorry_server_lvs_method');
      if (m) Object.assign(sorry, { own: m.statement, method: m.method });
    } else if (n.type === 'Block' && n.blockId === 'real_server') {
      const ip = ipOf(n);
      if (n.ignored || !ip) {
        s.discarded.push(n);
        continue;
      }
      const own = methodOf(n, 'lvs_method');
      const atEnd = own?.method ?? before;
      const port = typeof n.params['port'] === 'number' ? n.params['port'] : 0;
      const weight = lastAccepted(n, 'weight', 'weight')?.value ?? vsWeight ?? 1;
      const method = atEnd ?? finalMethod ?? 'NAT';
      const server: Server = { node: n, ip, port, method, effectivePort: port, weight: typeof weight === 'number' ? weight : 1 };
      if (own) server.ownMethod = own.statement;
      if (atEnd !== 'TUN' && s.family === undefined) setFamily(ip.family, n);
      if (atEnd !== 'TUN' && ip.family !== s.family) s.familyDropped.push(server);
      else s.realServers.push(server);
    }
  }
  if (sorry) {
    const atEnd = sorry.method ?? sorry.before;
    const server: Server = { node: sorry.statement, ip: sorry.ip, port: sorry.port, method: atEnd ?? finalMethod ?? 'NAT', effectivePort: sorry.port, weight: 1 };
    if (sorry.own) server.ownMethod = sorry.own;
    if (s.realServers.length && atEnd !== 'TUN' && s.family === undefined) setFamily(sorry.ip.family, sorry.statement);
    if (s.realServers.length && atEnd !== 'TUN' && sorry.ip.family !== s.family) s.sorryDropped = server;
    else s.sorry = server;
  }
  for (const server of [...s.realServers, ...(s.sorry ? [s.sorry] : [])]) server.effectivePort = effectivePort(s, server);
  return s;
}

/** The port `validate_check_config` leaves a server with. */
function effectivePort(s: Service, server: Server): number {
  if (s.kind === 'group') return server.port;
  if (server.method === 'NAT') return server.port || (s.kind === 'fwmark' ? 0 : s.port);
  return s.kind === 'fwmark' ? 0 : s.port;
}

export interface Quorum {
  /** Sum of the weights of the real servers keepalived keeps (duplicates removed). */
  total: number;
  quorum?: { value: number; statement: Statement };
  hysteresis?: { value: number; statement: Statement };
  /** The quorum and hysteresis keepalived uses after lowering them. */
  effectiveQuorum: number;
  effectiveHysteresis: number;
}

/** `validate_check_config`: the quorum is lowered to the total weight, then the hysteresis below the quorum. */
export function quorumOf(s: Service): Quorum {
  const seen = new Set<string>();
  let total = 0;
  for (const rs of s.realServers) {
    const key = endpointKey(rs.ip, rs.port);
    if (seen.has(key)) continue;
    seen.add(key);
    total += rs.weight;
  }
  const q = lastAccepted(s.vs, 'quorum', 'weight');
  const h = lastAccepted(s.vs, 'hysteresis', 'weight');
  const out: Quorum = { total, effectiveQuorum: 1, effectiveHysteresis: 0 };
  if (q && typeof q.value === 'number') out.quorum = { value: q.value, statement: q.statement };
  if (h && typeof h.value === 'number') out.hysteresis = { value: h.value, statement: h.statement };
  out.effectiveQuorum = Math.min(out.quorum?.value ?? 1, total);
  const hysteresis = out.hysteresis?.value ?? 0;
  out.effectiveHysteresis = hysteresis >= out.effectiveQuorum ? Math.max(out.effectiveQuorum - 1, 0) : hysteresis;
  return out;
}

/** The families of a group's entries (fwmark entries with a family count). */
export function groupFamilies(s: Service): Set<4 | 6> {
  const out = new Set<4 | 6>();
  for (const e of s.entries) {
    const f = isFwmarkEntry(e) ? (e.params['family'] === 'inet' ? 4 : e.params['family'] === 'inet6' ? 6 : undefined) : entryFamily(e);
    if (f) out.add(f);
  }
  return out;
}

/** Where keepalived's IPVS destination is: one key per address (in canonical form) and port. */
export const endpointKey = (ip: IpValue, port: number) => `${canonicalIp(ip.address)}|${port}`;
