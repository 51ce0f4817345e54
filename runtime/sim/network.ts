/**
 * The simulated network under the simulator's daemons: each node's VrrpIo, a
 * LAN per interface name (every node's eth0 on one segment unless told
 * otherwise), adverts delivered as the kernel would hand them over (whole
 * IPv4 packets, IPv6 payloads with their header fields), after a fixed delay,
 * except across a partition, from or to a node that is down or an interface
 * whose link is down, or when a seeded random loss drops them. Addresses the
 * daemons add and remove are kept per node: they tell who holds each VIP.
 */
import type { VirtualClock } from '../clock.ts';
import type { VrrpIo } from '../io.ts';

interface Endpoint {
  node: string;
  ifname: string;
  source: string;
  group: string;
  family: 4 | 6;
  /** The TTL of its unicast adverts (unicast_ttl); multicast ones leave with 255. */
  ttl: number;
  onPacket: (...args: never[]) => void;
  open: boolean;
  /** Where it is listed among the receivers. */
  keys: string[];
}

interface SimNode {
  up: boolean;
  linksDown: Set<string>;
  /** Addresses the node's daemon added, each with its interface. */
  addresses: Map<string, string>;
  linkWatchers: Set<(ifname: string, up: boolean) => void>;
  /** Its daemon's open channels, which die with the machine. */
  endpoints: Set<Endpoint>;
}

/** An advert on the wire, for the timeline's counts. */
export interface SentAdvert {
  node: string;
  vrid: number;
  priority: number;
}

const ipBytes = (ip: string) => ip.split('.').map(Number);

/** The IPv4 header the kernel puts in front of a received VRRP payload, and the payload. */
export function ipv4Packet(source: string, destination: string, ttl: number, payload: Uint8Array): Buffer {
  const packet = Buffer.alloc(20 + payload.length);
  packet[0] = 0x45;
  packet.writeUInt16BE(packet.length, 2);
  packet[8] = ttl;
  packet[9] = 112;
  packet.set(ipBytes(source), 12);
  packet.set(ipBytes(destination), 16);
  packet.set(payload, 20);
  return packet;
}

/** A small seeded generator (mulberry32), so that a scenario with loss replays the same way. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class SimNetwork {
  /** The share of packets lost on the way to each receiver (0..1). */
  loss = 0;
  private readonly nodes = new Map<string, SimNode>();
  /** Receivers by `segment|destination|vrid`: the group for multicast, the receiver's own address for unicast. */
  private readonly receivers = new Map<string, Set<Endpoint>>();
  /** Pairs of nodes that cannot reach each other. */
  private readonly cut = new Set<string>();

  constructor(
    private readonly clock: VirtualClock,
    private readonly options: {
      delayMs: number;
      random: () => number;
      /** The segment an interface of a node is on; by default the interface's name. */
      segmentOf?: (node: string, ifname: string) => string;
      onAdvert?: (advert: SentAdvert) => void;
      /** Some node's addresses changed. */
      onAddresses?: () => void;
    },
  ) {}

  addNode(name: string): void {
    this.nodes.set(name, { up: false, linksDown: new Set(), addresses: new Map(), linkWatchers: new Set(), endpoints: new Set() });
  }

  /** The node boots (`up`) or goes dark: down, its addresses vanish with it and nothing reaches its sockets. */
  setNodeUp(name: string, up: boolean): void {
    const node = this.node(name);
    node.up = up;
    if (!up) {
      node.addresses.clear();
      node.linkWatchers.clear();
      for (const endpoint of node.endpoints) this.closeEndpoint(endpoint);
      node.endpoints.clear();
      this.options.onAddresses?.();
    }
  }

  linkUp(name: string, ifname: string): boolean {
    return !this.node(name).linksDown.has(ifname);
  }

  /** Carrier lost or back on a node's interface; its daemon hears it as from netlink. */
  setLink(name: string, ifname: string, up: boolean): void {
    const node = this.node(name);
    if (up === !node.linksDown.has(ifname)) return;
    if (up) node.linksDown.delete(ifname);
    else node.linksDown.add(ifname);
    for (const watcher of [...node.linkWatchers]) watcher(ifname, up);
  }

  /** Cuts every node of each group off from the nodes of the other groups, until `heal`. */
  partition(groups: readonly (readonly string[])[]): void {
    for (const [i, a] of groups.entries()) for (const b of groups.slice(i + 1)) for (const x of a) for (const y of b) this.cut.add(`${x}|${y}`).add(`${y}|${x}`);
  }

  heal(): void {
    this.cut.clear();
  }

  /** The nodes that hold `address` now. */
  holders(address: string): string[] {
    return [...this.nodes].filter(([, n]) => n.up && n.addresses.has(address)).map(([name]) => name);
  }

  /** One node's packet I/O. `open` takes the VRID as a hint: the simulator hands a channel only its own VRID's adverts. */
  io(name: string): VrrpIo {
    const node = this.node(name);
    const segment = (ifname: string) => this.options.segmentOf?.(name, ifname) ?? ifname;
    return {
      open: (ifname: string, source: string, group: string, onPacket: (...args: never[]) => void, ttl?: number, vrid?: number) => {
        if (vrid === undefined) throw new Error('the simulated network needs the VRID of each channel');
        const endpoint: Endpoint = { node: name, ifname, source, group, family: source.includes(':') ? 6 : 4, ttl: ttl ?? 255, onPacket, open: true, keys: [] };
        endpoint.keys = [`|${source}|${vrid}`, ...(group ? [`${segment(ifname)}|${group}|${vrid}`] : [])];
        for (const key of endpoint.keys) this.receiversOf(key).add(endpoint);
        node.endpoints.add(endpoint);
        return endpoint;
      },
      send: (channel, payload, destination) => {
        const from = channel as Endpoint;
        if (!node.up || node.linksDown.has(from.ifname) || payload.length < 4) return;
        const vrid = payload[1]!;
        this.options.onAdvert?.({ node: name, vrid, priority: payload[2]! });
        const multicast = destination === from.group;
        const targets = this.receivers.get(`${multicast ? segment(from.ifname) : ''}|${destination}|${vrid}`);
        if (!targets?.size) return;
        // The bytes are copied now, as the kernel does: the sender may reuse its buffer.
        const bytes = from.family === 4 ? ipv4Packet(from.source, destination, multicast ? 255 : from.ttl, payload) : Buffer.from(payload);
        const receivers = [...targets].filter((e) => e.node !== name && (this.loss === 0 || this.options.random() >= this.loss));
        this.clock.setTimer(this.options.delayMs, () => {
          for (const e of receivers) {
            const to = this.nodes.get(e.node)!;
            if (!e.open || !to.up || to.linksDown.has(e.ifname) || node.linksDown.has(from.ifname) || (this.cut.size && this.cut.has(`${name}|${e.node}`))) continue;
            if (e.family === 4) (e.onPacket as (p: Buffer) => void)(bytes);
            else (e.onPacket as (p: Buffer, s: string, h: number, d: string) => void)(bytes, from.source, multicast ? 255 : from.ttl, destination);
          }
        });
      },
      close: (channel) => {
        if (channel && typeof channel === 'object' && 'watcher' in channel) {
          node.linkWatchers.delete((channel as { watcher: (ifname: string, up: boolean) => void }).watcher);
          return;
        }
        node.endpoints.delete(channel as Endpoint);
        this.closeEndpoint(channel as Endpoint);
      },
      garp: () => {},
      na: () => {},
      address: (add, ifname, address) => {
        if (add) node.addresses.set(address, ifname);
        else node.addresses.delete(address);
        this.options.onAddresses?.();
      },
      route: () => {},
      syslog: () => {},
      watchLinks: (onLink) => {
        node.linkWatchers.add(onLink);
        return { watcher: onLink };
      },
    } as VrrpIo;
  }

  private node(name: string): SimNode {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no node ${name} in the simulated network`);
    return node;
  }

  private closeEndpoint(endpoint: Endpoint): void {
    endpoint.open = false;
    for (const key of endpoint.keys) this.receivers.get(key)?.delete(endpoint);
  }

  private receiversOf(key: string): Set<Endpoint> {
    let set = this.receivers.get(key);
    if (!set) this.receivers.set(key, (set = new Set()));
    return set;
  }
}
