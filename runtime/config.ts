/**
 * What `kalint run` runs, from the typed AST through the model: one entry per
 * vrrp_instance keepalived keeps, with the settings the state machine takes,
 * the interface and addresses the daemon needs, and the sync groups.
 */
import { networkInterfaces } from 'node:os';
import type { Block, Config } from '../grammar/ast.ts';
import { model, valueOf } from '../grammar/index.ts';
import type { InstanceSettings } from './vrrp/instance.ts';

export interface Vip {
  address: string;
  prefix: number;
  device: string;
}

export interface RunInstance {
  block: Block;
  interface: string;
  settings: InstanceSettings;
  vips: Vip[];
  /** Unicast peers; empty for multicast. */
  peers: string[];
  /** The sync group the instance belongs to, if any. */
  group?: string;
}

export interface RunConfig {
  instances: RunInstance[];
  problems: string[];
}

/** The interface's first IPv4 address: keepalived's primary address when no unicast_src_ip is given. */
function primaryAddressOf(ifname: string): string | undefined {
  return networkInterfaces()[ifname]?.find((a) => a.family === 'IPv4')?.address;
}

export function runConfig(config: Config, addressOf: (ifname: string) => string | undefined = primaryAddressOf): RunConfig {
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
    if (s.family !== 4) {
      problems.push(`(${name}) IPv6 instances are not run yet`);
      continue;
    }
    const unicast = model.unicastOf(block);
    const primary = unicast.source?.address ?? addressOf(ifname);
    if (!primary) {
      problems.push(`(${name}) interface ${ifname} has no IPv4 address`);
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
      addresses: model.addressesOf(block, 'virtual_ipaddress').map((a) => a.ip.address),
      primaryAddress: primary,
      initialMaster: s.wantState === 'MASTER',
      preempt: !model.keepsNopreempt(s),
      preemptDelayMs: delay * 1000,
      downTimerAdverts: 3,
    };
    if (s.version === 2 && auth?.type === 'PASS') settings.auth = { type: 'pass', password: auth.pass ?? '' };
    const vips = model.addressesOf(block, 'virtual_ipaddress').map((a): Vip => {
      const dev = a.item.options['dev'];
      return { address: a.ip.address, prefix: a.ip.prefix ?? 32, device: dev && dev !== true && typeof dev['interface'] === 'string' ? dev['interface'] : ifname };
    });
    const entry: RunInstance = { block, interface: ifname, settings, vips, peers: unicast.peers.map((p) => p.ip.address) };
    const group = groups.groupOf.get(name)?.group.name;
    if (group) entry.group = group;
    instances.push(entry);
  }
  return { instances, problems };
}
