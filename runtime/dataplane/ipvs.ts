/**
 * The IPVS dataplane: the kernel's IPVS tables over generic netlink, driven
 * as keepalived's checker drives them (one request per service or destination
 * change, acknowledged before the next). Requests are synchronous through the
 * addon and answered at once by the kernel, so an apply() runs whole before
 * another can start.
 */
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import type { NetlinkIo } from '../io.ts';
import {
  decodeDestinations,
  decodeFamily,
  decodeServices,
  destinationsDumpRequest,
  familyRequest,
  flushRequest,
  IPVS_GENL_NAME,
  ipvsErrorText,
  type KernelService,
  NETLINK_GENERIC,
  NetlinkError,
  type NetlinkMessage,
  operationRequest,
  readReplies,
  servicesDumpRequest,
} from './ipvs-netlink.ts';
import { type Dataplane, type Destination, diffStates, type Operation, type ServiceState } from './types.ts';

/** Whether the running kernel has IPVS loaded (the ip_vs module creates /proc/net/ip_vs). */
export function ipvsAvailable(): boolean {
  return existsSync('/proc/net/ip_vs');
}

export interface KernelState {
  service: KernelService;
  destinations: Destination[];
}

const sameDestination = (a: Destination, b: Destination) => a.address === b.address && a.port === b.port;

/** `states` after `op` took effect. */
function record(states: ServiceState[], op: Operation): ServiceState[] {
  const id = op.service.id;
  switch (op.op) {
    case 'add-service':
      return [...states, { service: op.service, destinations: [] }];
    case 'delete-service':
      return states.filter((s) => s.service.id !== id);
    case 'edit-service':
      return states.map((s) => (s.service.id === id ? { ...s, service: op.service } : s));
    default: {
      const { destination } = op;
      return states.map((s) => {
        if (s.service.id !== id) return s;
        const others = s.destinations.filter((d) => !sameDestination(d, destination));
        return { ...s, destinations: op.op === 'delete-destination' ? others : [...others, destination] };
      });
    }
  }
}

/** A delete that finds its object gone has its way: the kernel is as asked. */
function alreadyGone(op: Operation, error: unknown): boolean {
  if (!(error instanceof NetlinkError)) return false;
  if (op.op === 'delete-service') return error.errno === constants.errno.ESRCH;
  return op.op === 'delete-destination' && (error.errno === constants.errno.ENOENT || error.errno === constants.errno.ESRCH);
}

function describe(op: Operation): string {
  const verb = op.op.startsWith('add') ? 'add' : op.op.startsWith('edit') ? 'change' : 'remove';
  if (!('destination' in op)) return `${verb} ${op.service.label}`;
  const { address, port } = op.destination;
  return `${verb} real server ${address.includes(':') ? `[${address}]` : address}:${port} of ${op.service.label}`;
}

export class IpvsDataplane implements Dataplane {
  readonly name = 'ipvs';
  #family: number | undefined;
  #seq = 0;
  /** What the kernel holds of ours: only operations it acknowledged are in. */
  #applied: ServiceState[] = [];

  constructor(private readonly io: NetlinkIo) {}

  /**
   * Every operation is tried, in diffStates' order; the failures reject together, one line each, and are
   * tried again by the next apply. A destination whose service could not be added is not tried (the
   * service's failure says why).
   */
  async apply(state: ServiceState[]): Promise<void> {
    this.#run(diffStates(this.#applied, structuredClone(state)));
  }

  /** Removes the services this dataplane added; the kernel takes their destinations with them. */
  async close(): Promise<void> {
    this.#run(this.#applied.map((s): Operation => ({ op: 'delete-service', service: s.service })));
  }

  /** IPVS_CMD_FLUSH: every service of the network namespace, ours or not (keepalived's lvs_flush). */
  async flush(): Promise<void> {
    try {
      this.#exchange(flushRequest(this.#resolve(), this.#nextSeq()));
    } catch (e) {
      throw e instanceof NetlinkError ? new Error(`IPVS: cannot flush: ${ipvsErrorText('flush', e.errno) ?? e.message}`) : e;
    }
    this.#applied = [];
  }

  /** Everything the kernel's IPVS tables hold in this network namespace, read back. */
  async read(): Promise<KernelState[]> {
    const family = this.#resolve();
    return decodeServices(this.#exchange(servicesDumpRequest(family, this.#nextSeq()))).map((service) => ({
      service,
      destinations: decodeDestinations(this.#exchange(destinationsDumpRequest(family, service, this.#nextSeq())), service.family),
    }));
  }

  #run(ops: Operation[]): void {
    if (!ops.length) return;
    const family = this.#resolve();
    const failures: string[] = [];
    for (const op of ops) {
      if ('destination' in op && !this.#applied.some((s) => s.service.id === op.service.id)) continue;
      try {
        this.#exchange(operationRequest(family, op, this.#nextSeq()));
      } catch (e) {
        if (!alreadyGone(op, e)) {
          const text = e instanceof NetlinkError ? (ipvsErrorText(op.op, e.errno) ?? e.message) : (e as Error).message;
          failures.push(`IPVS: cannot ${describe(op)}: ${text}`);
          continue;
        }
      }
      this.#applied = record(this.#applied, op);
    }
    if (failures.length) throw new Error(failures.join('\n'));
  }

  /** The IPVS family id, asked of the controller until it answers. */
  #resolve(): number {
    if (this.#family !== undefined) return this.#family;
    try {
      this.#family = decodeFamily(this.#exchange(familyRequest(IPVS_GENL_NAME, this.#nextSeq())));
    } catch (e) {
      if (!(e instanceof NetlinkError)) throw e;
      if (e.errno === constants.errno.ENOENT) throw new Error('IPVS is not available: the ip_vs module is not loaded');
      throw new Error(`IPVS: the generic netlink controller refused to name the IPVS family: ${e.message}`, { cause: e });
    }
    return this.#family;
  }

  #nextSeq(): number {
    this.#seq = (this.#seq + 1) >>> 0;
    return this.#seq;
  }

  #exchange(request: Buffer): NetlinkMessage[] {
    return readReplies(this.io.netlink(NETLINK_GENERIC, request));
  }
}
