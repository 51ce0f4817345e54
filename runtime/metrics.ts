/**
 * Prometheus metrics for `kalint run --metrics HOST:PORT` (prom-client): each
 * instance's state and effective priority, its transitions, and the packets
 * it dropped by keepalived's reasons.
 */
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import type { VrrpState } from './vrrp/instance.ts';

const STATES: VrrpState[] = ['INIT', 'BACKUP', 'MASTER', 'FAULT', 'STOP'];

export class Metrics {
  readonly registry = new Registry();
  private readonly state = new Gauge({ name: 'kalint_vrrp_state', help: 'VRRP state of the instance: 1 for the state it is in', labelNames: ['instance', 'state'], registers: [this.registry] });
  private readonly priority = new Gauge({ name: 'kalint_vrrp_effective_priority', help: 'Effective priority of the instance', labelNames: ['instance'], registers: [this.registry] });
  private readonly transitions = new Counter({ name: 'kalint_vrrp_transitions_total', help: 'State transitions of the instance', labelNames: ['instance', 'to'], registers: [this.registry] });
  private readonly drops = new Counter({ name: 'kalint_vrrp_dropped_packets_total', help: 'Adverts dropped by the receive checks', labelNames: ['instance', 'reason'], registers: [this.registry] });

  transition(instance: string, to: VrrpState, priority: number): void {
    for (const s of STATES) this.state.set({ instance, state: s }, s === to ? 1 : 0);
    this.priority.set({ instance }, priority);
    this.transitions.inc({ instance, to });
  }

  setPriority(instance: string, priority: number): void {
    this.priority.set({ instance }, priority);
  }

  drop(instance: string, reason: string): void {
    this.drops.inc({ instance, reason });
  }

  /** Serves /metrics on `address` (`HOST:PORT`). */
  serve(address: string): Server {
    const at = address.lastIndexOf(':');
    const host = address.slice(0, at).replace(/^\[|\]$/g, '');
    const port = Number(address.slice(at + 1));
    const server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      void this.registry.metrics().then((text) => res.writeHead(200, { 'Content-Type': this.registry.contentType }).end(text));
    });
    server.listen(port, host);
    return server;
  }
}
