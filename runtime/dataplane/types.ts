/**
 * What the checker side of `kalint run` asks of a load-balancing dataplane:
 * the IPVS services and destinations keepalived's checker would program, as a
 * desired state. Each dataplane (IPVS over generic netlink, nftables, dry run)
 * is given the whole state after every change and works out the operations
 * from the state it last applied, so the checker logic never depends on which
 * dataplane runs.
 */
import type { LvsDestination, LvsForwarding, LvsVirtualService } from '../../translate/lvs-rules.ts';

export type Forwarding = LvsForwarding;

/** An IPVS service: an address, protocol and port, or a firewall mark (the translator's shape, and IPVS's flags). */
export interface VirtualService extends LvsVirtualService {
  /** Scheduler flags as ipvsadm names them (sh-port, sh-fallback, mh-port, mh-fallback, flag-1..3, ops). */
  flags: string[];
}

export interface Destination extends LvsDestination {
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
