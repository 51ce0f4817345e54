/**
 * What keepalived makes of a configuration once its handlers and defaults
 * have run: lint rules, cluster checks, the simulator and the runtime all
 * ask these questions, so they are answered once, here, after keepalived's
 * own source.
 */
export * from './globals.ts';
export * from './lvs.ts';
export * from './vrrp.ts';
