/**
 * What keepalived's VRRP process makes of the configuration: each
 * instance's address family, VRRP version, initial state and priority, its
 * addresses, peers, trackers and sync group.
 */
import { type Block, blocksOf, childrenNamed, type Config, ipOf, type Item, itemsOf, lastStatement, type Node, type Statement, statementsNamed, valueOf, type Word } from '../ast.ts';
import type { GlobalDefs } from './globals.ts';
import type { Range } from '../source.ts';
import type { IpValue, Value } from '../values.ts';

export interface Address {
  ip: IpValue;
  item: Item;
}

/** The addresses of a value block (`virtual_ipaddress`, `unicast_peer` ...), those that parsed. */
export function addressesOf(block: Block, keyword: string): Address[] {
  const out: Address[] = [];
  for (const item of itemsOf(block, keyword)) {
    const ip = ipOf(item);
    if (ip) out.push({ ip, item });
  }
  return out;
}

/** Strict mode: the instance's own `strict_mode`, else the global `vrrp_strict`. */
export function isStrict(instance: Block, globals: GlobalDefs): boolean {
  const own = valueOf(instance, 'strict_mode');
  if (own !== undefined) return own === true;
  return globals.value('vrrp_strict') === true;
}

/** keepalived preempts unless `nopreempt` is given after any `preempt`. */
export function preempts(instance: Block): boolean {
  let preempt = true;
  for (const n of instance.children) {
    if (n.def.name === 'nopreempt') preempt = false;
    else if (n.def.name === 'preempt') preempt = true;
  }
  return preempt;
}

/** The instance's unicast source address and peers; unicast only when there are peers. */
export function unicastOf(instance: Block): { source?: IpValue; peers: Address[] } {
  const src = lastStatement(instance, 'unicast_src_ip');
  const source = src && ipOf(src);
  const peers = addressesOf(instance, 'unicast_peer');
  return source ? { source, peers } : { peers };
}

/** Every vrrp_instance keepalived keeps (not those it discarded for a bad header). */
export function instancesOf(config: Config): Block[] {
  return blocksOf(config, 'vrrp_instance').filter((b) => !b.ignored);
}

// ---------------------------------------------------------------- instances
//
// What keepalived makes of a vrrp_instance once `vrrp_complete_instance()`
// has run. Its handlers run in file order, so order matters: the first
// address of any kind fixes the family, a later `version` that conflicts is
// ignored, `state BACKUP` after `state MASTER` is ignored, an invalid
// priority becomes 100 (vrrp/vrrp_parser.c, vrrp/vrrp.c).

export interface FamilySource {
  family: 4 | 6;
  /** The address or keyword that decided it. */
  range: Range;
  /** What decided it, for messages: `its first VIP 10.0.0.1`, `unicast_src_ip 10.0.0.1`. */
  what: string;
}

/** Statements whose address sets the family when none is set yet. */
const FAMILY_STATEMENTS = new Set(['mcast_src_ip', 'unicast_src_ip', 'mcast_dst_ip', 'use_ipvlan']);
const FAMILY_LISTS: Record<string, string> = { virtual_ipaddress: 'its first VIP', unicast_peer: 'its first unicast peer' };

/**
 * The instance's address family as keepalived's parser fixes it: by the
 * first, in file order, of a VIP, a unicast peer, a source, multicast or
 * ipvlan address, or `native_ipv6` (ignored once IPv4 is set). Addresses of
 * the other family are dropped later. Undefined: IPv4 by default.
 */
export function familySource(instance: Block): FamilySource | undefined {
  for (const n of instance.children) {
    const name = n.def.aliasOf ?? n.def.name;
    if (n.type === 'List' && FAMILY_LISTS[name]) {
      for (const item of n.items) {
        const ip = ipOf(item);
        if (ip) return { family: ip.family, range: item.words[0]!.range, what: `${FAMILY_LISTS[name]} ${ip.address}` };
      }
    } else if (n.type === 'Statement' && FAMILY_STATEMENTS.has(name)) {
      const ip = ipOf(n);
      if (ip) return { family: ip.family, range: n.range, what: `${name} ${ip.address}` };
    } else if (n.type === 'Statement' && name === 'native_ipv6') {
      return { family: 6, range: n.range, what: 'native_ipv6' };
    }
  }
  return undefined;
}

/** Why an instance speaks VRRPv3. */
export type V3Reason = 'version' | 'vrrp_version' | 'ipv6' | 'native_ipv6';

export interface InstanceSettings {
  family: 4 | 6;
  familySource?: FamilySource;
  version: 2 | 3;
  /** Why the version is 3, and the line that makes it so. */
  v3?: { reason: V3Reason; range: Range };
  strict: boolean;
  /** The `strict_mode` statement or global `vrrp_strict` that turns strict mode on. */
  strictRange?: Range;
  /** The `state` statement keepalived uses. */
  state?: Statement;
  configuredState?: 'MASTER' | 'BACKUP';
  /** The `priority` statement keepalived uses, if any. */
  priorityStatement?: Statement;
  /** The base priority: the configured one (100 when invalid), else 255 with `state MASTER`, else 100. */
  priority: number;
  /** The initial state keepalived settles on (strict mode recomputes it from the priority). */
  wantState: 'MASTER' | 'BACKUP';
  /** `state` disagreed with being address owner and strict mode recomputed it. */
  strictStateOverride: boolean;
  /** The last `nopreempt` in effect as written (not cancelled by a later `preempt`). */
  nopreempt?: Statement;
  /** Why keepalived clears that nopreempt, if it does. */
  nopreemptCleared?: 'owner' | 'master';
  /** The `preempt_delay` statement, when it sets a non-zero delay. */
  preemptDelay?: Statement;
  /** Why keepalived clears the preempt delay, if it does. */
  preemptDelayCleared?: 'master' | 'strict' | 'nopreempt';
}

/** The `version` keepalived keeps: the first valid one; version 2 after an IPv6 address is refused; `native_ipv6` forces 3. */
function configuredVersion(instance: Block, family: FamilySource | undefined): { version: 2 | 3; node: Node } | undefined {
  let out: { version: 2 | 3; node: Node } | undefined;
  const familyAt = family ? instance.children.findIndex((n) => n.range.start <= family.range.start && family.range.end <= n.range.end) : -1;
  instance.children.forEach((n, i) => {
    const name = n.def.aliasOf ?? n.def.name;
    if (name === 'native_ipv6' && family?.family === 6) out = { version: 3, node: n };
    if (name !== 'version' || n.type !== 'Statement') return;
    const v = n.params['version'];
    if (v !== 2 && v !== 3) return;
    if (out && out.version !== v) return;
    if (v === 2 && family?.family === 6 && familyAt >= 0 && familyAt < i) return;
    out = { version: v, node: n };
  });
  return out;
}

/** The `state` keepalived uses: MASTER sticks, any word but MASTER means BACKUP. */
function stateOf(instance: Block): { statement: Statement; state: 'MASTER' | 'BACKUP' } | undefined {
  let out: { statement: Statement; state: 'MASTER' | 'BACKUP' } | undefined;
  for (const statement of statementsNamed(instance, 'state')) {
    const text = statement.words[0]?.text;
    if (text === undefined || (text === 'BACKUP' && out?.state === 'MASTER')) continue;
    out = { statement, state: text === 'MASTER' ? 'MASTER' : 'BACKUP' };
  }
  return out;
}

const validPriority = (v: Value | Value[] | undefined): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 255;

const settingsCache = new WeakMap<Block, InstanceSettings>();

/** Everything keepalived derives for `instance` (cached: the AST is not changed after reading). */
export function instanceSettings(instance: Block, globals: GlobalDefs): InstanceSettings {
  const cached = settingsCache.get(instance);
  if (cached) return cached;
  const source = familySource(instance);
  const family = source?.family ?? 4;
  const strict = isStrict(instance, globals);
  const ownStrict = lastStatement(instance, 'strict_mode');
  const strictSource = ownStrict && valueOf(instance, 'strict_mode') !== undefined ? ownStrict : globals.statement('vrrp_strict');

  const configured = configuredVersion(instance, source);
  let version = configured?.version;
  let v3: InstanceSettings['v3'];
  if (configured?.version === 3) v3 = { reason: configured.node.def.name === 'native_ipv6' ? 'native_ipv6' : 'version', range: configured.node.range };
  if (family === 6 && version !== 3 && (!version || strict)) {
    version = 3;
    v3 = { reason: 'ipv6', range: source!.range };
  }
  if (!version) {
    const global = globals.statement('vrrp_version');
    version = global?.params['version'] === 3 ? 3 : 2;
    if (version === 3) v3 = { reason: 'vrrp_version', range: global!.range };
  }

  const state = stateOf(instance);
  const priorityStatement = lastStatement(instance, 'priority');
  const written = priorityStatement?.words.length ? (validPriority(priorityStatement.params['priority']) ? priorityStatement.params['priority'] : 100) : undefined;
  const priority = written ?? (state?.state === 'MASTER' ? 255 : 100);
  const owner = priority === 255;
  const strictStateOverride = !!state && strict && (state.state === 'MASTER') !== owner;
  const wantState = state && !strictStateOverride ? state.state : owner ? 'MASTER' : 'BACKUP';

  const settings: InstanceSettings = { family, version, strict, priority, wantState, strictStateOverride };
  if (source) settings.familySource = source;
  if (v3 && version === 3) settings.v3 = v3;
  if (strict && strictSource) settings.strictRange = strictSource.range;
  if (state) {
    settings.state = state.statement;
    settings.configuredState = state.state;
  }
  if (priorityStatement) settings.priorityStatement = priorityStatement;

  let nopreempt = false;
  if (!preempts(instance)) {
    const last = statementsNamed(instance, 'nopreempt').pop();
    if (last) settings.nopreempt = last;
    if (owner) settings.nopreemptCleared = 'owner';
    else if (wantState === 'MASTER') settings.nopreemptCleared = 'master';
    nopreempt = !settings.nopreemptCleared;
  }

  const delay = lastStatement(instance, 'preempt_delay');
  const seconds = delay?.params['seconds'];
  if (delay && typeof seconds === 'number' && seconds > 0 && seconds <= 1000) {
    settings.preemptDelay = delay;
    if (wantState === 'MASTER') settings.preemptDelayCleared = 'master';
    else if (strict) settings.preemptDelayCleared = 'strict';
    else if (nopreempt) settings.preemptDelayCleared = 'nopreempt';
  }
  settingsCache.set(instance, settings);
  return settings;
}

/** Whether keepalived keeps `nopreempt` for the instance. */
export function keepsNopreempt(s: InstanceSettings): boolean {
  return !!s.nopreempt && !s.nopreemptCleared;
}

// ---------------------------------------------------------------- trackers

const orders = new WeakMap<Config, Map<object, number>>();

/** The position of every node and item in the order keepalived reads them (includes are spliced in). */
export function readOrder(config: Config): Map<object, number> {
  const cached = orders.get(config);
  if (cached) return cached;
  const order = new Map<object, number>();
  const walk = (nodes: readonly Node[]): void => {
    for (const n of nodes) {
      order.set(n, order.size);
      if (n.type === 'List') for (const item of n.items) order.set(item, order.size);
      if (n.type === 'Block') walk(n.children);
    }
  };
  walk(config.children);
  orders.set(config, order);
  return order;
}

/**
 * The object an entry of `track_script`, `track_file` or `track_bfd` names:
 * keepalived looks it up when it reads the entry, so it must be defined
 * before; of several with the name, the first counts.
 */
export function trackedObject(config: Config, blockId: string, name: string, entry: Item): Block | undefined {
  const order = readOrder(config);
  const at = order.get(entry) ?? Infinity;
  return blocksOf(config, blockId).find((b) => !b.ignored && b.name === name && (order.get(b) ?? Infinity) < at);
}

export type TrackerKind = 'interface' | 'script' | 'file' | 'bfd';

export interface Tracker {
  kind: TrackerKind;
  /** The list keyword: track_interface, track_script ... */
  keyword: string;
  name: string;
  item: Item;
  /** The vrrp_script, track_file or bfd_instance block (none for interfaces). */
  object?: Block;
  /** The weight keepalived applies: the entry's own (±254 becomes ±253), else the tracked object's default. */
  weight: number;
  /** Whether failure raises the priority instead of lowering it (`weight N reverse`). */
  reverse: boolean;
}

function entryWeight(item: Item): Value | undefined {
  const o = item.options['weight'];
  return o === undefined || o === true ? undefined : o['weight'];
}

const validWeight = (w: Value | undefined): w is number => typeof w === 'number' && Number.isInteger(w) && Math.abs(w) <= 254;
const clamp253 = (w: number): number => (w === 254 ? 253 : w === -254 ? -253 : w);

/** A tracked object's own `weight N [reverse]`, else `fallback`. */
function objectWeight(block: Block, fallback: number): { weight: number; reverse: boolean } {
  if (block.keyword.text === 'track_file') return trackFileWeight(block);
  const s = lastStatement(block, 'weight');
  const w = s?.params['weight'];
  return typeof w === 'number' && Number.isInteger(w) ? { weight: w, reverse: s!.words[1]?.text === 'reverse' } : { weight: fallback, reverse: false };
}

/**
 * A track_file block's weight as keepalived's track_file_weight_handler sets it: the weight starts at 1, a later
 * `weight` is ignored once it is anything else ("Weight already set"), one outside ±254 counts as 1, and `reverse`
 * once given stays.
 */
function trackFileWeight(block: Block): { weight: number; reverse: boolean } {
  let weight = 1;
  let reverse = false;
  for (const n of block.children) {
    if (n.type !== 'Statement' || n.def.name !== 'weight' || weight !== 1) continue;
    const w = n.params['weight'];
    weight = typeof w === 'number' && Number.isInteger(w) && w >= -254 && w <= 254 ? w : 1;
    if (n.words[1]?.text === 'reverse') reverse = true;
  }
  return { weight, reverse };
}

/** An entry's `reverse` / `noreverse` after its weight, which overrides the object's. */
function entryReverse(item: Item, inherited: boolean): boolean {
  const words = item.words.map((w) => w.text);
  const at = words.indexOf('weight');
  const flag = at >= 0 ? words[at + 2] : undefined;
  return flag === 'reverse' ? true : flag === 'noreverse' ? false : inherited;
}

const TRACKED_OBJECTS: { kind: TrackerKind; keyword: string; param: string; blockId: string; fallback: number }[] = [
  { kind: 'script', keyword: 'track_script', param: 'script', blockId: 'vrrp_script', fallback: 0 },
  { kind: 'file', keyword: 'track_file', param: 'file', blockId: 'track_file', fallback: 1 },
  { kind: 'bfd', keyword: 'track_bfd', param: 'bfd', blockId: 'bfd_instance', fallback: 0 },
];

/**
 * The interfaces, scripts, files and BFD sessions `holder` (an instance or a
 * sync group) tracks, with the weights keepalived gives them. Entries
 * keepalived ignores (undefined or repeated objects) are left out.
 */
export function trackersOf(holder: Block, config: Config): Tracker[] {
  const out: Tracker[] = [];
  for (const item of itemsOf(holder, 'track_interface')) {
    const name = item.params['interface'];
    if (typeof name !== 'string') continue;
    const w = entryWeight(item);
    out.push({ kind: 'interface', keyword: 'track_interface', name, item, weight: validWeight(w) ? clamp253(w) : 0, reverse: entryReverse(item, false) });
  }
  for (const { kind, keyword, param, blockId, fallback } of TRACKED_OBJECTS) {
    const seen = new Set<Block>();
    for (const item of itemsOf(holder, keyword)) {
      const name = item.params[param];
      const object = typeof name === 'string' ? trackedObject(config, blockId, name, item) : undefined;
      if (!object || seen.has(object)) continue;
      seen.add(object);
      const inherited = objectWeight(object, fallback);
      const w = entryWeight(item);
      const weight = validWeight(w) ? (kind === 'file' ? w : clamp253(w)) : inherited.weight;
      out.push({ kind, keyword, name: name as string, item, object, weight, reverse: entryReverse(item, inherited.reverse) });
    }
  }
  return out;
}

// ---------------------------------------------------------------- sync groups

export interface SyncEntry {
  group: Block;
  word: Word;
}

export interface SyncGroups {
  /** The group keepalived puts each instance in (by instance name): the first that lists it. */
  groupOf: Map<string, SyncEntry>;
  /** The members of each group keepalived keeps, in order. */
  members: Map<Block, Block[]>;
  /** Entries keepalived ignores because the instance is already in a sync group. */
  repeated: { entry: SyncEntry; first: SyncEntry }[];
}

const syncCache = new WeakMap<Config, SyncGroups>();

export function syncGroupsOf(config: Config): SyncGroups {
  const cached = syncCache.get(config);
  if (cached) return cached;
  const instances = new Map<string, Block>();
  for (const b of instancesOf(config)) if (b.name && !instances.has(b.name)) instances.set(b.name, b);
  const result: SyncGroups = { groupOf: new Map(), members: new Map(), repeated: [] };
  for (const group of blocksOf(config, 'vrrp_sync_group')) {
    if (group.ignored) continue;
    const members: Block[] = [];
    result.members.set(group, members);
    // keepalived keeps the first `group` list and skips any other.
    const list = childrenNamed(group, 'group').find((n) => n.type === 'List');
    for (const item of list?.type === 'List' ? list.items : []) {
      for (const word of item.words) {
        const instance = instances.get(word.text);
        if (!instance) continue;
        const entry = { group, word };
        const first = result.groupOf.get(word.text);
        if (first) {
          result.repeated.push({ entry, first });
          continue;
        }
        result.groupOf.set(word.text, entry);
        members.push(instance);
      }
    }
  }
  syncCache.set(config, result);
  return result;
}

/** Whether a sync group lets its members keep weighted trackers. */
export function keepsTrackingWeights(group: Block): boolean {
  return childrenNamed(group, 'sync_group_tracking_weight').length > 0;
}

/**
 * The trackers that act on an instance. In a sync group without
 * `sync_group_tracking_weight`, and for an address owner, keepalived
 * ignores weights: weighted interfaces get weight 0 (an owner stops tracking
 * them), files of weight 1 get 0, other weighted entries are dropped
 * (`vrrp_complete_instance`).
 */
export function effectiveTrackers(instance: Block, config: Config, globals: GlobalDefs): Tracker[] {
  const trackers = trackersOf(instance, config);
  const entry = instance.name ? syncGroupsOf(config).groupOf.get(instance.name) : undefined;
  const syncIgnoresWeights = !!entry && !keepsTrackingWeights(entry.group);
  if (!syncIgnoresWeights && instanceSettings(instance, globals).priority !== 255) return trackers;
  return trackers.flatMap((t) => {
    if (t.weight === 0) return [t];
    if ((t.kind === 'interface' && syncIgnoresWeights) || (t.kind === 'file' && t.weight === 1)) return [{ ...t, weight: 0 }];
    return [];
  });
}

// ---------------------------------------------------------------- authentication

export interface Authentication {
  type: 'PASS' | 'AH';
  /** The `auth_type` line keepalived keeps, and the authentication block holding it. */
  typeStatement: Statement;
  block: Block;
  /** The password as keepalived keeps it: cut to 8 characters. */
  pass?: string;
}

/**
 * The authentication keepalived configures for an instance: each `auth_type`
 * and `auth_pass` line sets its field, in whichever authentication block it
 * stands, so the last valid one wins (an unknown type is ignored). Undefined
 * without a valid auth_type.
 */
export function authenticationOf(instance: Block): Authentication | undefined {
  let out: Authentication | undefined;
  let pass: string | undefined;
  for (const block of blocksOf(instance, 'authentication')) {
    for (const s of statementsNamed(block, 'auth_type')) {
      const type = s.words[0]?.text;
      if (type === 'PASS' || type === 'AH') out = { type, typeStatement: s, block };
    }
    for (const s of statementsNamed(block, 'auth_pass')) if (s.words[0]) pass = s.words[0].text.slice(0, 8);
  }
  if (out && pass !== undefined) out.pass = pass;
  return out;
}
