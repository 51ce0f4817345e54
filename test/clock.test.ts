/** The virtual clock's heap against the obvious model: timers run in (time, order set) order, cancelled ones never. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../runtime/clock.ts';

const ops = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('set' as const), ms: fc.integer({ min: 0, max: 50 }) }),
    fc.record({ kind: fc.constant('cancel' as const), which: fc.nat() }),
    fc.record({ kind: fc.constant('run' as const), ms: fc.integer({ min: 0, max: 30 }) }),
  ),
  { maxLength: 3000 },
);

describe('VirtualClock', () => {
  it('runs due timers in time order, ties in the order set, and skips cancelled ones', () => {
    fc.assert(
      fc.property(ops, (script) => {
        const clock = new VirtualClock();
        const ran: number[] = [];
        const handles: { cancel(): void }[] = [];
        // The model: every timer with its due time, and whether it was cancelled before it ran.
        const model: { at: number; id: number; cancelled: boolean; ran: boolean }[] = [];
        const expected: number[] = [];
        let now = 0;
        for (const op of script) {
          if (op.kind === 'set') {
            const id = handles.length;
            handles.push(clock.setTimer(op.ms, () => ran.push(id)));
            model.push({ at: now + op.ms, id, cancelled: false, ran: false });
          } else if (op.kind === 'cancel' && handles.length) {
            const which = op.which % handles.length;
            handles[which]!.cancel();
            if (!model[which]!.ran) model[which]!.cancelled = true;
          } else if (op.kind === 'run') {
            now += op.ms;
            clock.runUntil(now);
            const due = model.filter((t) => !t.ran && !t.cancelled && t.at <= now).sort((a, b) => a.at - b.at || a.id - b.id);
            for (const t of due) {
              t.ran = true;
              expected.push(t.id);
            }
          }
        }
        expect(ran).toEqual(expected);
        expect(clock.now()).toBe(now);
      }),
      { numRuns: 200 },
    );
  });

  it('runs timers set by timers within the same run, not cancelled ones', () => {
    const clock = new VirtualClock();
    const at: number[] = [];
    const tick = () => {
      at.push(clock.now());
      if (at.length < 5) clock.setTimer(10, tick);
    };
    clock.setTimer(10, tick);
    const dropped = clock.setTimer(5, () => at.push(-1));
    dropped.cancel();
    clock.runUntil(100);
    expect(at).toEqual([10, 20, 30, 40, 50]);
  });

  it('keeps its heap small when most timers are cancelled (re-armed timeouts)', () => {
    const clock = new VirtualClock();
    let timer = clock.setTimer(1000, () => {});
    for (let i = 0; i < 100_000; i++) {
      timer.cancel();
      timer = clock.setTimer(1000, () => {});
    }
    expect((clock as unknown as { heap: unknown[] }).heap.length).toBeLessThan(3000);
  });
});
