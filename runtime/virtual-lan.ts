/**
 * A network segment in virtual time: nodes with VRRP instances whose adverts
 * go through the real wire encoding (packet.ts) to every other node that is
 * up and not cut off, with a fixed delay. For the state machine's own tests;
 * the simulator (runtime/sim) runs whole daemons on a network of its own.
 */
import { VirtualClock } from './clock.ts';
import { type InstanceSettings, type SyncGroup, VrrpInstance, type VrrpState } from './vrrp/instance.ts';
import { type Advert, decodeAdvert, encodeAdvert } from './vrrp/packet.ts';

export interface Transition {
  at: number;
  node: string;
  instance: string;
  from: VrrpState;
  to: VrrpState;
}

export interface LanNode {
  name: string;
  address: string;
  instances: VrrpInstance[];
  up: boolean;
}

const MULTICAST = '224.0.0.18';

export class VirtualLan {
  readonly clock = new VirtualClock();
  readonly transitions: Transition[] = [];
  readonly nodes = new Map<string, LanNode>();
  /** Adverts sent, for counting and inspection. */
  readonly sent: { at: number; node: string; advert: Advert }[] = [];
  /** Node names that cannot reach each other: partitions. */
  private readonly cut = new Set<string>();

  constructor(readonly delayMs = 0) {}

  addNode(name: string, address: string): LanNode {
    const node: LanNode = { name, address, instances: [], up: true };
    this.nodes.set(name, node);
    return node;
  }

  addInstance(nodeName: string, settings: Omit<InstanceSettings, 'primaryAddress'>, group?: SyncGroup): VrrpInstance {
    const node = this.nodes.get(nodeName)!;
    const instance = new VrrpInstance({ ...settings, primaryAddress: node.address }, this.clock, {
      send: (advert) => this.deliver(node, instance, advert),
      transition: (i, from, to) => this.transitions.push({ at: this.clock.now(), node: node.name, instance: i.settings.name, from, to }),
    });
    node.instances.push(instance);
    group?.add(instance);
    return instance;
  }

  /** Cuts the segment between two groups of nodes (until `heal`). */
  partition(a: readonly string[], b: readonly string[]): void {
    for (const x of a) for (const y of b) this.cut.add(`${x}|${y}`).add(`${y}|${x}`);
  }

  heal(): void {
    this.cut.clear();
  }

  /** The node stops dead: no more adverts, timers frozen (its instances stop hearing anything). */
  crash(name: string): void {
    const node = this.nodes.get(name)!;
    node.up = false;
  }

  private deliver(from: LanNode, sender: VrrpInstance, advert: Advert): void {
    if (!from.up) return;
    this.sent.push({ at: this.clock.now(), node: from.name, advert });
    const meta = { family: 4 as const, source: from.address, destination: MULTICAST, ttl: 255, multicast: true };
    const bytes = encodeAdvert(advert, meta);
    for (const node of this.nodes.values()) {
      if (node === from || !node.up || this.cut.has(`${from.name}|${node.name}`)) continue;
      for (const instance of node.instances) {
        if (instance === sender || instance.settings.vrid !== advert.vrid) continue;
        const expected = { version: instance.settings.version, vrid: instance.settings.vrid, intervalCs: Math.round(instance.settings.advertIntervalMs / 10), ...(instance.settings.auth ? { auth: instance.settings.auth } : {}) };
        const arrive = () => {
          if (!node.up) return;
          const decoded = decodeAdvert(bytes, meta, expected);
          if ('advert' in decoded) instance.receive(decoded.advert, from.address);
        };
        if (this.delayMs) this.clock.setTimer(this.delayMs, arrive);
        else arrive();
      }
    }
  }

  /** Who is MASTER of `instance` now. */
  masters(instance: string): string[] {
    return [...this.nodes.values()].filter((n) => n.up && n.instances.some((i) => i.settings.name === instance && i.state === 'MASTER')).map((n) => n.name);
  }
}

