/**
 * Prometheus metrics for `kalint run --metrics HOST:PORT` (prom-client): each
 * instance's state and effective priority, its transitions, and the packets
 * it dropped by keepalived's reasons; each virtual server's quorum, its real
 * servers' checks, weights and transitions, and the dataplane's updates.
 */
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { VirtualServerStatus } from './lvs/manager.ts';
import type { VrrpState } from './vrrp/instance.ts';

const STATES: VrrpState[] = ['INIT', 'BACKUP', 'MASTER', 'FAULT', 'STOP'];

export class Metrics {
  readonly registry = new Registry();
  private readonly state = new Gauge({ name: 'kalint_vrrp_state', help: 'VRRP state of the instance: 1 for the state it is in', labelNames: ['instance', 'state'], registers: [this.registry] });
  private readonly priority = new Gauge({ name: 'kalint_vrrp_effective_priority', help: 'Effective priority of the instance', labelNames: ['instance'], registers: [this.registry] });
  private readonly transitions = new Counter({ name: 'kalint_vrrp_transitions_total', help: 'State transitions of the instance', labelNames: ['instance', 'to'], registers: [this.registry] });
  private readonly drops = new Counter({ name: 'kalint_vrrp_dropped_packets_total', help: 'Adverts dropped by the receive checks', labelNames: ['instance', 'reason'], registers: [this.registry] });

  /** Where the virtual servers' gauges are read at each scrape. */
  virtualServers: () => VirtualServerStatus[] = () => [];
  private readonly quorum = new Gauge({
    name: 'kalint_lvs_quorum_up',
    help: 'Whether the virtual server has its quorum',
    labelNames: ['virtual_server'],
    registers: [this.registry],
    collect: () => this.collectServers(),
  });
  private readonly alive = new Gauge({ name: 'kalint_lvs_real_server_up', help: 'Whether the real server passes its checks', labelNames: ['virtual_server', 'real_server'], registers: [this.registry] });
  private readonly weight = new Gauge({
    name: 'kalint_lvs_real_server_weight',
    help: "The real server's weight in the dataplane table; absent when it is not in the table",
    labelNames: ['virtual_server', 'real_server'],
    registers: [this.registry],
  });
  private readonly serverTransitions = new Counter({
    name: 'kalint_lvs_real_server_transitions_total',
    help: 'Real servers going up or down',
    labelNames: ['virtual_server', 'real_server', 'to'],
    registers: [this.registry],
  });
  private readonly checks = new Counter({
    name: 'kalint_lvs_checks_total',
    help: 'Check attempts by checker and result',
    labelNames: ['virtual_server', 'real_server', 'checker', 'result'],
    registers: [this.registry],
  });
  private readonly updates = new Histogram({
    name: 'kalint_lvs_dataplane_update_seconds',
    help: 'Time the dataplane took to apply a change, by dataplane and result',
    labelNames: ['dataplane', 'result'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  serverTransition(virtualServer: string, realServer: string, up: boolean): void {
    this.serverTransitions.inc({ virtual_server: virtualServer, real_server: realServer, to: up ? 'up' : 'down' });
  }

  check(virtualServer: string, realServer: string, checker: string, up: boolean): void {
    this.checks.inc({ virtual_server: virtualServer, real_server: realServer, checker, result: up ? 'up' : 'down' });
  }

  dataplaneUpdate(dataplane: string, ok: boolean, seconds: number): void {
    this.updates.observe({ dataplane, result: ok ? 'ok' : 'error' }, seconds);
  }

  private collectServers(): void {
    this.quorum.reset();
    this.alive.reset();
    this.weight.reset();
    for (const vs of this.virtualServers()) {
      this.quorum.set({ virtual_server: vs.service }, vs.quorum ? 1 : 0);
      for (const rs of vs.realServers) {
        const labels = { virtual_server: vs.service, real_server: rs.server };
        this.alive.set(labels, rs.alive ? 1 : 0);
        if (rs.inTable) this.weight.set(labels, rs.weight);
      }
    }
  }

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
