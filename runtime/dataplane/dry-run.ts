/**
 * The dry-run dataplane: nothing reaches the kernel; each operation is logged
 * as the ipvsadm command that would make it, so that `kalint run` can show
 * what keepalived's checker would program on a host without IPVS or root.
 */
import { isIPv6 } from 'node:net';
import { type Dataplane, type Destination, diffStates, type Operation, type ServiceState, type VirtualService } from './types.ts';

const FORWARDING = { NAT: '-m', DR: '-g', TUN: '-i' } as const;
const PROTOCOL = { tcp: '-t', udp: '-u', sctp: '--sctp-service' } as const;

const host = (address: string) => (isIPv6(address) ? `[${address}]` : address);

/** ipvsadm's service address: `-t 192.0.2.1:80`, `-u [2001:db8::1]:53`, `-f 5`, `-f 5 -6`. */
function serviceArgs(s: VirtualService): string {
  if (s.fwmark !== undefined) return `-f ${s.fwmark}${s.family === 6 ? ' -6' : ''}`;
  if (s.address === undefined) throw new TypeError(`${s.label}: a service needs a fwmark or an address`);
  return `${PROTOCOL[s.protocol]} ${host(s.address)}:${s.port}`;
}

/** Scheduler, persistence (-p, -M), scheduler flags (-b) and one-packet scheduling (-o). */
function serviceOptions(s: VirtualService): string {
  let out = ` -s ${s.scheduler}`;
  if (s.persistence?.timeout) {
    out += ` -p ${s.persistence.timeout}`;
    if (s.persistence.netmask !== undefined) out += ` -M ${s.persistence.netmask}`;
  }
  const schedulerFlags = s.flags.filter((f) => f !== 'ops');
  if (schedulerFlags.length) out += ` -b ${schedulerFlags.join(',')}`;
  if (s.flags.includes('ops')) out += ' -o';
  return out;
}

/** A real server without a port (a mark service's, not NAT) is written without one, as ipvsadm takes it. */
const realServer = (d: Destination) => `-r ${d.port ? `${host(d.address)}:${d.port}` : host(d.address)}`;

function destinationOptions(d: Destination): string {
  let out = ` ${FORWARDING[d.forwarding]} -w ${d.weight}`;
  if (d.upperThreshold) out += ` -x ${d.upperThreshold}`;
  if (d.lowerThreshold) out += ` -y ${d.lowerThreshold}`;
  return out;
}

/** The ipvsadm command line for one operation. */
export function ipvsadmCommand(op: Operation): string {
  const service = serviceArgs(op.service);
  switch (op.op) {
    case 'add-service':
      return `ipvsadm -A ${service}${serviceOptions(op.service)}`;
    case 'edit-service':
      return `ipvsadm -E ${service}${serviceOptions(op.service)}`;
    case 'delete-service':
      return `ipvsadm -D ${service}`;
    case 'add-destination':
      return `ipvsadm -a ${service} ${realServer(op.destination)}${destinationOptions(op.destination)}`;
    case 'edit-destination':
      return `ipvsadm -e ${service} ${realServer(op.destination)}${destinationOptions(op.destination)}`;
    case 'delete-destination':
      return `ipvsadm -d ${service} ${realServer(op.destination)}`;
  }
}

export class DryRunDataplane implements Dataplane {
  readonly name = 'dry-run';
  #applied: ServiceState[] = [];

  constructor(private readonly log: (line: string) => void) {}

  async apply(state: ServiceState[]): Promise<void> {
    const next = structuredClone(state);
    for (const op of diffStates(this.#applied, next)) this.log(ipvsadmCommand(op));
    this.#applied = next;
  }

  /** As the IPVS dataplane closes: each service deleted, its real servers with it. */
  async close(): Promise<void> {
    for (const { service } of this.#applied) this.log(ipvsadmCommand({ op: 'delete-service', service }));
    this.#applied = [];
  }
}
