/**
 * MISC_CHECK (check_misc.c): runs misc_path as keepalived runs scripts
 * (runtime/scripts.ts: its tokenizer, its user, no shell, its own process
 * group). Exit 0 is up; with misc_dynamic, 2..255 is up too and asks for
 * weight code − 2; anything else is down. After misc_timeout the group gets
 * SIGTERM, then SIGKILL 2 s later, and the attempt counts as timed out once
 * the script has exited, as keepalived waits for it before the next run.
 */
import { type ScriptCommand, spawnCommand } from '../scripts.ts';
import type { Outcome } from './types.ts';

export interface MiscOptions {
  command: ScriptCommand;
  /** misc_timeout, else the virtual server's delay_loop. */
  timeoutMs: number;
  /** misc_dynamic. */
  dynamic: boolean;
}

/** keepalived's wait between SIGTERM and SIGKILL (check_misc.c: SCRIPT_STATE_REQUESTING_TERMINATION). */
const KILL_GRACE_MS = 2000;

/** The outcome of an exit status (check_misc.c: misc_check_child_thread). */
export function miscOutcome(code: number, dynamic: boolean): Outcome {
  if (code === 0) return { up: true, detail: 'succeeded' };
  if (dynamic && code >= 2 && code <= 255) return { up: true, detail: `succeeded (exit status ${code})`, weight: code - 2 };
  return { up: false, detail: `failed (exited with status ${code})` };
}

/** One MISC_CHECK run; resolves once the script has exited. */
export function miscProbe(o: MiscOptions, signal: AbortSignal): Promise<Outcome> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawnCommand>;
    try {
      child = spawnCommand(o.command);
    } catch (e) {
      resolve({ up: false, detail: `failed to start (${(e as Error).message})` });
      return;
    }
    let terminating = false;
    let killTimer: NodeJS.Timeout | undefined;
    const group = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        // The group has gone already.
      }
    };
    const terminate = () => {
      if (terminating || child.exitCode !== null || child.signalCode !== null) return;
      terminating = true;
      group('SIGTERM');
      killTimer = setTimeout(() => group('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(terminate, o.timeoutMs);
    signal.addEventListener('abort', terminate, { once: true });
    const done = (outcome: Outcome) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      signal.removeEventListener('abort', terminate);
      resolve(outcome);
    };
    child.once('error', (e) => done({ up: false, detail: `failed (${(e as NodeJS.ErrnoException).code ?? e.message})` }));
    child.once('exit', (code, sig) => {
      if (sig) {
        // Whatever the script started dies with it, as keepalived kills the group after a requested termination.
        if (terminating) group('SIGKILL');
        done({ up: false, detail: terminating ? 'timed out' : `failed (due to signal ${sig})` });
      } else done(miscOutcome(code ?? 0, o.dynamic));
    });
  });
}
