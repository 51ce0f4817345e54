/** The dry-run dataplane: each change to the desired IPVS state logged as the ipvsadm command that makes it. */
import { describe, expect, it } from 'vitest';
import { DryRunDataplane, ipvsadmCommand } from '../runtime/dataplane/dry-run.ts';
import type { Destination, ServiceState, VirtualService } from '../runtime/dataplane/types.ts';

const web: VirtualService = {
  id: 'tcp|192.0.2.1|80',
  family: 4,
  protocol: 'tcp',
  address: '192.0.2.1',
  port: 80,
  scheduler: 'wrr',
  persistence: { timeout: 300, netmask: '255.255.255.0' },
  flags: [],
  label: 'virtual_server 192.0.2.1 80',
};
const dns6: VirtualService = {
  id: 'udp|2001:db8::1|53',
  family: 6,
  protocol: 'udp',
  address: '2001:db8::1',
  port: 53,
  scheduler: 'rr',
  flags: ['ops'],
  label: 'virtual_server 2001:db8::1 53',
};
const mark6: VirtualService = {
  id: 'fwmark|6|5',
  family: 6,
  protocol: 'tcp',
  fwmark: 5,
  port: 0,
  scheduler: 'sh',
  persistence: { timeout: 60, netmask: 64 },
  flags: ['sh-port', 'sh-fallback'],
  label: 'virtual_server fwmark 5',
};
const mark4: VirtualService = { id: 'fwmark|4|7', family: 4, protocol: 'tcp', fwmark: 7, port: 0, scheduler: 'wlc', flags: [], label: 'virtual_server fwmark 7' };
const sctp: VirtualService = { id: 'sctp|192.0.2.9|9', family: 4, protocol: 'sctp', address: '192.0.2.9', port: 9, scheduler: 'lc', flags: [], label: 'virtual_server 192.0.2.9 9' };

const nat = (address: string, weight: number, more: Partial<Destination> = {}): Destination => ({ address, port: 80, weight, forwarding: 'NAT', ...more });

function run() {
  const lines: string[] = [];
  return { lines, plane: new DryRunDataplane((l) => lines.push(l)) };
}

describe('DryRunDataplane', () => {
  it('logs a first state, changes, nothing for an unchanged state, and the deletes on close', async () => {
    const { lines, plane } = run();
    const first: ServiceState[] = [
      { service: web, destinations: [nat('10.0.0.2', 3), nat('10.0.0.3', 1, { upperThreshold: 100, lowerThreshold: 20 })] },
      { service: dns6, destinations: [{ address: '2001:db8::2', port: 53, weight: 1, forwarding: 'DR' }] },
      { service: mark6, destinations: [{ address: '2001:db8::3', port: 0, weight: 2, forwarding: 'TUN' }] },
      { service: mark4, destinations: [{ address: '10.0.0.9', port: 0, weight: 1, forwarding: 'DR' }] },
      { service: sctp, destinations: [] },
    ];
    await plane.apply(first);
    expect(lines.splice(0)).toEqual([
      'ipvsadm -A -t 192.0.2.1:80 -s wrr -p 300 -M 255.255.255.0',
      'ipvsadm -a -t 192.0.2.1:80 -r 10.0.0.2:80 -m -w 3',
      'ipvsadm -a -t 192.0.2.1:80 -r 10.0.0.3:80 -m -w 1 -x 100 -y 20',
      'ipvsadm -A -u [2001:db8::1]:53 -s rr -o',
      'ipvsadm -a -u [2001:db8::1]:53 -r [2001:db8::2]:53 -g -w 1',
      'ipvsadm -A -f 5 -6 -s sh -p 60 -M 64 -b sh-port,sh-fallback',
      'ipvsadm -a -f 5 -6 -r [2001:db8::3] -i -w 2',
      'ipvsadm -A -f 7 -s wlc',
      'ipvsadm -a -f 7 -r 10.0.0.9 -g -w 1',
      'ipvsadm -A --sctp-service 192.0.2.9:9 -s lc',
    ]);

    // Drained, removed and new real servers; a scheduler and persistence change; a service gone.
    const second: ServiceState[] = [
      { service: { ...web, persistence: { timeout: 600 } }, destinations: [nat('10.0.0.2', 0), nat('10.0.0.4', 5)] },
      { service: { ...dns6, scheduler: 'wrr', flags: [] }, destinations: first[1]!.destinations },
      first[2]!,
      first[4]!,
    ];
    await plane.apply(second);
    expect(lines.splice(0)).toEqual([
      'ipvsadm -d -f 7 -r 10.0.0.9',
      'ipvsadm -D -f 7',
      'ipvsadm -E -t 192.0.2.1:80 -s wrr -p 600',
      'ipvsadm -d -t 192.0.2.1:80 -r 10.0.0.3:80',
      'ipvsadm -e -t 192.0.2.1:80 -r 10.0.0.2:80 -m -w 0',
      'ipvsadm -a -t 192.0.2.1:80 -r 10.0.0.4:80 -m -w 5',
      'ipvsadm -E -u [2001:db8::1]:53 -s wrr',
    ]);

    await plane.apply(structuredClone(second));
    expect(lines).toEqual([]);

    await plane.close();
    expect(lines.splice(0)).toEqual(['ipvsadm -D -t 192.0.2.1:80', 'ipvsadm -D -u [2001:db8::1]:53', 'ipvsadm -D -f 5 -6', 'ipvsadm -D --sctp-service 192.0.2.9:9']);
    await plane.close();
    expect(lines).toEqual([]);
  });

  it('keeps its own copy of the state: a caller changing its objects afterwards is a change the next apply sees', async () => {
    const { lines, plane } = run();
    const state: ServiceState[] = [{ service: { ...web, persistence: undefined }, destinations: [nat('10.0.0.2', 3)] }];
    await plane.apply(state);
    lines.length = 0;
    state[0]!.destinations[0]!.weight = 0;
    await plane.apply(state);
    expect(lines).toEqual(['ipvsadm -e -t 192.0.2.1:80 -r 10.0.0.2:80 -m -w 0']);
  });

  it('refuses a service with neither a mark nor an address', () => {
    const { address: _, ...rest } = web;
    expect(() => ipvsadmCommand({ op: 'add-service', service: rest })).toThrow('virtual_server 192.0.2.1 80: a service needs a fwmark or an address');
  });
});
