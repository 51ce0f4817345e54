/**
 * What keepalived makes of a configuration once its defaults apply: the
 * effective VRRP version of an instance, its initial state and priority,
 * its addresses, peers and tracked scripts. Lint rules, cluster checks, the
 * simulator and the runtime all ask these questions, so they are answered
 * once, here, with keepalived's own defaults.
 */
import { blocksOf, type Block, type Config, isIp, type Item, itemsOf, lastStatement, type Statement, valueOf } from './ast.ts';
import type { IpValue, Value } from './values.ts';

/** The `global_defs` settings: keepalived merges every global_defs block, later lines winning. */
export class GlobalDefs {
  readonly blocks: Block[];

  constructor(config: Config) {
    this.blocks = blocksOf(config, 'global_defs');
  }

  statement(keyword: string): Statement | undefined {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const s = lastStatement(this.blocks[i]!, keyword);
      if (s) return s;
    }
    return undefined;
  }

  value(keyword: string): Value | undefined {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const v = valueOf(this.blocks[i]!, keyword);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  has(keyword: string): boolean {
    return this.statement(keyword) !== undefined;
  }
}

export interface Address {
  ip: IpValue;
  item: Item;
}

/** The addresses of a value block (`virtual_ipaddress`, `unicast_peer` ...), those that parsed. */
export function addressesOf(block: Block, keyword: string): Address[] {
  const out: Address[] = [];
  for (const item of itemsOf(block, keyword)) {
    const ip = item.params['address'];
    if (!Array.isArray(ip) && isIp(ip)) out.push({ ip, item });
  }
  return out;
}

/** An instance's address family: that of its first VIP (IPv4 without VIPs), as keepalived decides. */
export function instanceFamily(instance: Block): 4 | 6 {
  return addressesOf(instance, 'virtual_ipaddress')[0]?.ip.family ?? (instance.children.some((n) => n.def.name === 'native_ipv6') ? 6 : 4);
}

export function isStrict(instance: Block, globals: GlobalDefs): boolean {
  const own = valueOf(instance, 'strict_mode');
  if (own !== undefined) return own === true;
  return globals.value('vrrp_strict') === true;
}

/** The VRRP version the instance speaks: its own `version`, else the global one, else 2; IPv6 always 3. */
export function vrrpVersion(instance: Block, globals: GlobalDefs): 2 | 3 {
  if (instanceFamily(instance) === 6) return 3;
  const own = valueOf(instance, 'version') ?? globals.value('vrrp_version');
  return own === 3 ? 3 : 2;
}

/** The configured `state`, or keepalived's derivation: MASTER only for an address owner (priority 255). */
export function initialState(instance: Block): 'MASTER' | 'BACKUP' {
  const state = valueOf(instance, 'state');
  if (state === 'MASTER' || state === 'BACKUP') return state;
  return valueOf(instance, 'priority') === 255 ? 'MASTER' : 'BACKUP';
}

/** The configured priority, or keepalived's default: 255 with `state MASTER`, else 100. */
export function basePriority(instance: Block): number {
  const p = valueOf(instance, 'priority');
  if (typeof p === 'number') return p;
  return valueOf(instance, 'state') === 'MASTER' ? 255 : 100;
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
  const src = valueOf(instance, 'unicast_src_ip');
  const peers = addressesOf(instance, 'unicast_peer');
  return isIp(src) ? { source: src, peers } : { peers };
}

export interface TrackedScript {
  name: string;
  item: Item;
  /** The vrrp_script it names, if defined. */
  script: Block | undefined;
  /** The weight in effect: the entry's own, else the script's, else 0. */
  weight: number;
  reverse: boolean;
}

function optionValue(args: { options: Record<string, Record<string, Value> | true> }, option: string, param: string): Value | undefined {
  const o = args.options[option];
  return o === undefined || o === true ? undefined : o[param];
}

/** The scripts an instance (or sync group) tracks, with the weights keepalived applies. */
export function trackedScripts(holder: Block, config: Config): TrackedScript[] {
  const scripts = new Map(blocksOf(config, 'vrrp_script').map((b) => [b.name, b]));
  return itemsOf(holder, 'track_script').flatMap((item) => {
    const name = item.params['script'];
    if (typeof name !== 'string') return [];
    const script = scripts.get(name);
    const own = optionValue(item, 'weight', 'weight');
    const scriptWeight = script ? lastStatement(script, 'weight') : undefined;
    const weight = typeof own === 'number' ? own : typeof scriptWeight?.params['weight'] === 'number' ? scriptWeight.params['weight'] : 0;
    const reverse = typeof own === 'number' ? 'reverse' in item.options : scriptWeight ? 'reverse' in scriptWeight.options : false;
    return [{ name, item, script, weight, reverse }];
  });
}

/** Every vrrp_instance keepalived keeps (not those it discarded for a bad header). */
export function instancesOf(config: Config): Block[] {
  return blocksOf(config, 'vrrp_instance').filter((b) => !b.ignored);
}
