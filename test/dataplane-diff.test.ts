import { describe, expect, it } from 'vitest';
import { diffStates, type Destination, type ServiceState, type VirtualService } from '../runtime/dataplane/types.ts';

const web: VirtualService = { id: 'tcp|192.0.2.1|80', family: 4, protocol: 'tcp', address: '192.0.2.1', port: 80, scheduler: 'wrr', flags: [], label: 'web' };
const dns: VirtualService = { id: 'udp|192.0.2.1|53', family: 4, protocol: 'udp', address: '192.0.2.1', port: 53, scheduler: 'rr', flags: [], label: 'dns' };
const dest = (n: number, weight = 1): Destination => ({ address: `10.0.0.${n}`, port: 80, weight, forwarding: 'NAT' });
const summary = (from: ServiceState[], to: ServiceState[]) =>
  diffStates(from, to).map((o) => `${o.op} ${o.service.label}${'destination' in o ? ` ${o.destination.address}/${o.destination.weight}` : ''}`);

describe('dataplane state diff', () => {
  it('adds a service before its destinations and deletes it after them', () => {
    const state = [{ service: web, destinations: [dest(1), dest(2)] }];
    expect(summary([], state)).toEqual(['add-service web', 'add-destination web 10.0.0.1/1', 'add-destination web 10.0.0.2/1']);
    expect(summary(state, [])).toEqual(['delete-destination web 10.0.0.1/1', 'delete-destination web 10.0.0.2/1', 'delete-service web']);
  });

  it('touches only what changed', () => {
    const before = [
      { service: web, destinations: [dest(1), dest(2)] },
      { service: dns, destinations: [dest(3)] },
    ];
    const after = [
      { service: { ...web, scheduler: 'rr' }, destinations: [dest(2, 5), dest(4)] },
      { service: dns, destinations: [dest(3)] },
    ];
    expect(summary(before, after)).toEqual(['edit-service web', 'delete-destination web 10.0.0.1/1', 'edit-destination web 10.0.0.2/5', 'add-destination web 10.0.0.4/1']);
    expect(summary(after, after)).toEqual([]);
  });

  it('edits a destination whose forwarding method or thresholds change', () => {
    const before = [{ service: web, destinations: [dest(1)] }];
    expect(summary(before, [{ service: web, destinations: [{ ...dest(1), forwarding: 'DR' }] }])).toEqual(['edit-destination web 10.0.0.1/1']);
    expect(summary(before, [{ service: web, destinations: [{ ...dest(1), upperThreshold: 10 }] }])).toEqual(['edit-destination web 10.0.0.1/1']);
  });
});
