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

/** Something whose timers all die together: a machine of the simulator that crashes. */
export interface TimerOwner {
  dead: boolean;
}

/** A timer in the heap; it is its own handle. */
class Pending implements Timer {
  cancelled = false;

  constructor(
    readonly at: number,
    readonly seq: number,
    readonly callback: () => void,
    private readonly clock: VirtualClock,
    readonly owner: TimerOwner | undefined,
  ) {}

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.clock.cancelled();
  }
}

const before = (a: Pending, b: Pending) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/**
 * A clock that only moves when told to, running due timers in time order (ties in the order set). The timers sit in
 * a binary heap: the simulator keeps hundreds of thousands of them, re-armed on every advert. Cancelled timers stay
 * in the heap until they come up or outnumber the live ones, when the heap is rebuilt without them.
 */
export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private heap: Pending[] = [];
  private cancelledCount = 0;

  now(): number {
    return this.time;
  }

  setTimer(ms: number, callback: () => void): Timer {
    return this.timerFor(undefined, ms, callback);
  }

  /** A timer that does not run once its owner is dead. */
  timerFor(owner: TimerOwner | undefined, ms: number, callback: () => void): Timer {
    const p = new Pending(this.time + Math.max(0, ms), this.seq++, callback, this, owner);
    this.push(p);
    return p;
  }

  /** @internal a timer was cancelled: the heap is rebuilt when cancelled ones outnumber the live. */
  cancelled(): void {
    if (++this.cancelledCount > 1024 && this.cancelledCount * 2 > this.heap.length) this.rebuild();
  }

  /** Runs every timer due up to `time` (timers set meanwhile too), then sets the clock to `time`. */
  runUntil(time: number): void {
    for (;;) {
      const next = this.heap[0];
      if (!next || next.at > time) break;
      this.pop();
      if (next.cancelled) {
        this.cancelledCount--;
        continue;
      }
      // Out of the heap now: marked so that cancelling it later changes nothing.
      next.cancelled = true;
      if (next.owner?.dead) continue;
      this.time = next.at;
      next.callback();
    }
    this.time = Math.max(this.time, time);
  }

  advance(ms: number): void {
    this.runUntil(this.time + ms);
  }

  private push(p: Pending): void {
    const heap = this.heap;
    let i = heap.push(p) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(p, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = p;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (!heap.length) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const child = left + 1 < heap.length && before(heap[left + 1]!, heap[left]!) ? left + 1 : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }

  private rebuild(): void {
    const live = this.heap.filter((p) => !p.cancelled);
    this.heap = [];
    this.cancelledCount = 0;
    for (const p of live) this.push(p);
  }
}
