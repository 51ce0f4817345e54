/**
 * Time for the VRRP state machine, injected: the daemon runs on the real
 * clock, tests and the simulator on a virtual one that jumps from timer to
 * timer, so the same code gives the same timings in both.
 */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimer(ms: number, callback: () => void): Timer;
}

export interface Timer {
  cancel(): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimer(ms, callback) {
    const t = setTimeout(callback, Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  },
};

interface Pending {
  at: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

/** A clock that only moves when told to, running due timers in time order (ties in the order set). */
export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private queue: Pending[] = [];

  now(): number {
    return this.time;
  }

  setTimer(ms: number, callback: () => void): Timer {
    const p: Pending = { at: this.time + Math.max(0, ms), seq: this.seq++, callback, cancelled: false };
    this.queue.push(p);
    return { cancel: () => (p.cancelled = true) };
  }

  /** Runs every timer due up to `time` (timers set meanwhile too), then sets the clock to `time`. */
  runUntil(time: number): void {
    for (;;) {
      this.queue = this.queue.filter((p) => !p.cancelled);
      let next: Pending | undefined;
      for (const p of this.queue) if (!next || p.at < next.at || (p.at === next.at && p.seq < next.seq)) next = p;
      if (!next || next.at > time) break;
      this.queue.splice(this.queue.indexOf(next), 1);
      this.time = next.at;
      next.callback();
    }
    this.time = Math.max(this.time, time);
  }

  advance(ms: number): void {
    this.runUntil(this.time + ms);
  }
}
