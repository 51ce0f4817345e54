/**
 * The real checkers of a real server, as the manager drives them: the specs
 * of runtime/check, each run by its CheckRunner on the daemon's clock (or
 * followed by a FileCheckMonitor), their verdicts and weight changes handed
 * to the pool. A server's weight is its configured weight plus every
 * checker's change, as keepalived's cur_weight sums them.
 */
import { type CheckerSpec, checkersOf, CheckRunner, FileCheckMonitor, isRunnable } from '../check/index.ts';
import type { IcmpEcho } from '../check/ping.ts';
import type { TcpConnect } from '../check/tcp.ts';
import type { CheckerFactory } from '../daemon.ts';
import type { CheckerHandle } from './manager.ts';

/** keepalived's name for a checker in its alert texts (check_tcp.c and friends). */
const ALERT_NAMES: Record<CheckerSpec['kind'], string> = {
  TCP_CHECK: 'TCP CHECK',
  HTTP_GET: 'CHECK',
  SSL_GET: 'CHECK',
  MISC_CHECK: 'MISC CHECK',
  SMTP_CHECK: 'CHECK',
  DNS_CHECK: 'DNS_CHECK:',
  UDP_CHECK: 'UDP CHECK',
  PING_CHECK: 'ICMP CHECK',
  FILE_CHECK: 'FILE CHECK',
};

/**
 * The checker factory of kalint run; `icmpEcho` is the native addon's ICMP
 * socket, for PING_CHECK, and `tcpConnect` its TCP connect, for TCP_CHECK.
 */
export const realCheckers =
  (icmpEcho: IcmpEcho, tcpConnect: TcpConnect): CheckerFactory =>
  (vs, server, context) =>
    handles(vs, server, context, icmpEcho, tcpConnect);

function handles(vs: Parameters<CheckerFactory>[0], server: number, context: Parameters<CheckerFactory>[2], icmpEcho: IcmpEcho, tcpConnect: TcpConnect): CheckerHandle[] {
  const model = vs.model.realServers[server]!;
  const { checkers, problems } = checkersOf(vs.realServers[server]!.block, vs.model, model, context.config, {
    log: context.log,
    scriptPolicy: context.policy,
    scripts: context.checked,
    icmpEcho,
    tcpConnect,
  });
  for (const p of problems) context.log(p);
  // Each checker's change to the server's weight; the server gets the sum on top of its own.
  const deltas = checkers.map(() => 0);
  return checkers.map((spec, index): CheckerHandle => {
    let stop = () => {};
    return {
      alpha: spec.timing?.alpha ?? false,
      name: ALERT_NAMES[spec.kind],
      start(report, weight, attempt) {
        const listener = {
          onChange: (up: boolean) => report(up),
          onAttempt: (outcome: { up: boolean }) => attempt(outcome.up),
          onWeight: (delta: number) => {
            deltas[index] = delta;
            weight(model.weight + deltas.reduce((a, b) => a + b, 0));
          },
        };
        if (isRunnable(spec)) {
          const runner = new CheckRunner(spec, context.clock, listener);
          runner.start();
          stop = () => runner.stop();
        } else if (spec.file) {
          const monitor = new FileCheckMonitor(spec.file, listener);
          monitor.start();
          if (!monitor.up) report(false);
          if (monitor.weightDelta) listener.onWeight(monitor.weightDelta);
          stop = () => monitor.stop();
        }
      },
      stop: () => stop(),
    };
  });
}
