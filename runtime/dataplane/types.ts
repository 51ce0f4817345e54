/**
 * What the checker side of `kalint run` asks of a load-balancing dataplane:
 * the IPVS services and destinations keepalived's checker would program, as a
 * desired state. Each dataplane (IPVS over generic netlink, nftables, dry run)
 * is given the whole state after every change and works out the operations
 * from the state it last applied, so the checker logic never depends on which
 * dataplane runs.
 */

export type Forwarding = 'NAT' | 'DR' | 'TUN';

/** An IPVS service: an address, protocol and port, or a firewall mark. */
export interface VirtualService {
  /** Stable identity across reloads: `tcp|192.0.2.1|80` or `fwmark|4|1`. */
  id: string;
  family: 4 | 6;
  protocol: 'tcp' | 'udp' | 'sctp';
  /** Address form only. */
  address?: string;
  /** Address form only (0: all ports, with persistence). */
  port: number;
  /** Firewall-mark form only. */
  fwmark?: number;
  /** IPVS scheduler name (rr, wrr, lc, wlc, sh, dh, mh, ...). */
  scheduler: string;
  /** Persistence timeout in seconds and its granularity (IPv4 netmask, or IPv6 prefix length). */
  persistence?: { timeout: number; netmask?: string | number };
  /** Scheduler flags as ipvsadm names them (sh-port, sh-fallback, mh-port, mh-fallback, flag-1..3). */
  flags: string[];
  /** `virtual_server` header, for messages. */
  label: string;
}

export interface Destination {
  address: string;
  port: number;
  /** 0 keeps the destination but gives it no new connections (inhibit_on_failure, drained). */
  weight: number;
  forwarding: Forwarding;
  /** IPVS connection limits (0: none). */
  upperThreshold?: number;
  lowerThreshold?: number;
}

export interface ServiceState {
  service: VirtualService;
  destinations: Destination[];
}

export type Operation =
  | { op: 'add-service' | 'edit-service' | 'delete-service'; service: VirtualService }
  | { op: 'add-destination' | 'edit-destination' | 'delete-destination'; service: VirtualService; destination: Destination };

export interface Dataplane {
  readonly name: string;
  /** Brings the kernel to `state`; resolves once it is there, rejects with the kernel's words. */
  apply(state: ServiceState[]): Promise<void>;
  /** Removes everything this dataplane added. */
  close(): Promise<void>;
}

const destinationKey = (d: Destination) => `${d.address}|${d.port}`;

const sameService = (a: VirtualService, b: VirtualService) =>
  a.scheduler === b.scheduler &&
  a.persistence?.timeout === b.persistence?.timeout &&
  a.persistence?.netmask === b.persistence?.netmask &&
  a.flags.join(',') === b.flags.join(',');

const sameDestination = (a: Destination, b: Destination) =>
  a.weight === b.weight &&
  a.forwarding === b.forwarding &&
  (a.upperThreshold ?? 0) === (b.upperThreshold ?? 0) &&
  (a.lowerThreshold ?? 0) === (b.lowerThreshold ?? 0);

/**
 * The operations that turn `from` into `to`, in an order the kernel accepts:
 * services are added before their destinations and deleted after them.
 */
export function diffStates(from: ServiceState[], to: ServiceState[]): Operation[] {
  const ops: Operation[] = [];
  const before = new Map(from.map((s) => [s.service.id, s]));
  const after = new Map(to.map((s) => [s.service.id, s]));
  for (const [id, old] of before) {
    if (after.has(id)) continue;
    for (const destination of old.destinations) ops.push({ op: 'delete-destination', service: old.service, destination });
    ops.push({ op: 'delete-service', service: old.service });
  }
  for (const [id, next] of after) {
    const old = before.get(id);
    if (!old) {
      ops.push({ op: 'add-service', service: next.service });
      for (const destination of next.destinations) ops.push({ op: 'add-destination', service: next.service, destination });
      continue;
    }
    if (!sameService(old.service, next.service)) ops.push({ op: 'edit-service', service: next.service });
    const oldDestinations = new Map(old.destinations.map((d) => [destinationKey(d), d]));
    const newKeys = new Set(next.destinations.map(destinationKey));
    for (const d of old.destinations) if (!newKeys.has(destinationKey(d))) ops.push({ op: 'delete-destination', service: next.service, destination: d });
    for (const d of next.destinations) {
      const was = oldDestinations.get(destinationKey(d));
      if (!was) ops.push({ op: 'add-destination', service: next.service, destination: d });
      else if (!sameDestination(was, d)) ops.push({ op: 'edit-destination', service: next.service, destination: d });
    }
  }
  return ops;
}
