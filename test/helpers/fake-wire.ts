/**
 * A stand-in for the native packet I/O: every daemon on the wire gets the
 * others' adverts as IPv4 packets (TTL 255), in virtual time, and what it
 * does to addresses, routes and ARP is recorded instead of reaching the
 * kernel. For testing the daemon's own logic without namespaces.
 */
import { VirtualClock } from '../../runtime/clock.ts';
import type { VrrpIo } from '../../runtime/io.ts';
import { ipv4Packet } from '../../runtime/sim/network.ts';

export interface WireEvent {
  at: number;
  node: string;
  op: string;
  detail: string;
}

interface Endpoint {
  node: string;
  source: string;
  group: string;
  /** IPv4 channels get whole packets, IPv6 ones the payload with source, hop limit and destination. */
  onPacket: (...args: never[]) => void;
  open: boolean;
}

export class FakeWire {
  readonly clock = new VirtualClock();
  readonly events: WireEvent[] = [];
  private readonly endpoints: Endpoint[] = [];
  /** Nodes cut off from the wire: nothing they send arrives, nothing reaches them. */
  readonly isolated = new Set<string>();

  /** The I/O of one node; `node` names it in the recorded events. */
  io(node: string): VrrpIo {
    const record = (op: string, detail: string) => this.events.push({ at: this.clock.now(), node, op, detail });
    return {
      open: (_ifname, source, group, onPacket) => {
        const endpoint: Endpoint = { node, source, group, onPacket, open: true };
        this.endpoints.push(endpoint);
        return endpoint;
      },
      send: (channel, payload, destination) => {
        const from = channel as Endpoint;
        record('advert', destination);
        this.clock.setTimer(0, () => {
          if (this.isolated.has(node)) return;
          for (const e of this.endpoints) {
            if (!e.open || e.node === node || this.isolated.has(e.node) || (e.group !== destination && e.source !== destination)) continue;
            if (from.source.includes(':')) (e.onPacket as (p: Buffer, s: string, h: number, d: string) => void)(Buffer.from(payload), from.source, 255, destination);
            else (e.onPacket as (p: Buffer) => void)(ipv4Packet(from.source, destination, 255, payload));
          }
        });
      },
      close: (channel) => {
        (channel as Endpoint).open = false;
      },
      garp: (ifname, address) => record('garp', `${ifname} ${address}`),
      na: (ifname, address) => record('na', `${ifname} ${address}`),
      address: (add, ifname, address, prefix, options) => record(add ? 'add' : 'remove', `${address}/${prefix} ${ifname}${options && Object.keys(options).length ? ` ${JSON.stringify(options)}` : ''}`),
      route: (add, spec) => record(add ? 'route-add' : 'route-remove', JSON.stringify(spec)),
      watchLinks: () => ({ open: false }),
      syslog: (socket, datagram) => record('syslog', `${socket} ${datagram}`),
    };
  }

  /** The events of one kind, as `time node detail`. */
  of(op: string): string[] {
    return this.events.filter((e) => e.op === op).map((e) => `${e.at} ${e.node} ${e.detail}`);
  }
}
