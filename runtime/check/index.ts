/** keepalived's real-server health checkers: the specs of a real server's checkers, their scheduler, and the file follower of FILE_CHECK. */
export { checkersOf, type CheckerContext } from './spec.ts';
export { BOOTSTRAP_DELAY_MS, type CheckerListener, CheckRunner, isRunnable, type RunnableSpec } from './runner.ts';
export { FileCheckMonitor, type FileCheckOptions } from './file.ts';
export { type IcmpEcho, NO_ICMP_SOCKET } from './ping.ts';
export type { CheckerKind, CheckerSpec, Outcome, Target, Timing } from './types.ts';
