import { describe, expect, it } from 'vitest';
import { BusyError } from '../core/errors';
import { Lane, LaneClosedError, QueueFullError } from './lane';

function setup(opts: { maxQueue?: number; stopGraceMs?: number; retry?: number } = {}) {
  let t = 1000;
  const lane = new Lane<{ n: number }>({
    maxQueue: opts.maxQueue,
    stopGraceMs: opts.stopGraceMs ?? 1200,
    now: () => t,
    retryAfterSeconds: () => opts.retry ?? 7,
  });
  return { lane, advance: (ms: number) => (t += ms), at: () => t };
}

describe('Lane', () => {
  it('runs jobs one at a time in FIFO order', () => {
    const { lane, advance } = setup();
    expect(lane.busy).toBe(false);
    lane.enqueue('a', { n: 1 });
    lane.enqueue('b', { n: 2 });
    lane.enqueue('c', { n: 3 });
    expect(lane.busy).toBe(true);
    expect(lane.queuedCount).toBe(3);
    const a = lane.startNext();
    expect(a).toMatchObject({ id: 'a', data: { n: 1 }, startedAt: 1000, stop: null });
    expect(lane.startNext()).toBeNull(); // one at a time
    expect(lane.active?.id).toBe('a');
    expect(lane.queued.map((e) => e.id)).toEqual(['b', 'c']);
    advance(500);
    expect(lane.finish('a')?.id).toBe('a');
    expect(lane.active).toBeNull();
    expect(lane.startNext()).toMatchObject({ id: 'b', startedAt: 1500 });
    expect(lane.finish('b')?.id).toBe('b');
    expect(lane.startNext()?.id).toBe('c');
    expect(lane.finish('c')?.id).toBe('c');
    expect(lane.startNext()).toBeNull();
    expect(lane.busy).toBe(false);
  });

  it('ignores a finish for a job that is not the active one (late report)', () => {
    const { lane } = setup();
    lane.enqueue('a', { n: 1 });
    lane.enqueue('b', { n: 2 });
    lane.startNext();
    expect(lane.finish('b')).toBeNull();
    expect(lane.finish('zzz')).toBeNull();
    expect(lane.active?.id).toBe('a');
    expect(lane.finish('a')).not.toBeNull();
    expect(lane.finish('a')).toBeNull();
  });

  it('knows which jobs it holds', () => {
    const { lane } = setup();
    lane.enqueue('a', { n: 1 });
    lane.enqueue('b', { n: 2 });
    lane.startNext();
    expect([lane.has('a'), lane.has('b'), lane.has('c')]).toEqual([true, true, false]);
    expect(() => lane.enqueue('b', { n: 9 })).toThrow(/already in the lane/);
  });

  it('refuses with BusyError (Retry-After from the estimator) when the caller does not queue', () => {
    const { lane } = setup({ retry: 42 });
    lane.enqueue('a', { n: 1 }, { queue: false }); // idle: taken
    let err: unknown;
    try {
      lane.enqueue('b', { n: 2 }, { queue: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BusyError);
    expect(err).not.toBeInstanceOf(QueueFullError);
    expect((err as BusyError).retryAfterSeconds).toBe(42);
    expect((err as BusyError).status).toBe(503);
    expect(lane.queuedCount).toBe(1);
  });

  it('bounds the queue: maxQueue waiting jobs behind the active one, then QueueFullError (a 503 BusyError)', () => {
    const { lane } = setup({ maxQueue: 2, retry: 9 });
    lane.enqueue('a', { n: 1 });
    lane.startNext();
    lane.enqueue('b', { n: 2 });
    lane.enqueue('c', { n: 3 });
    let err: unknown;
    try {
      lane.enqueue('d', { n: 4 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QueueFullError);
    expect(err).toBeInstanceOf(BusyError);
    expect(err).toMatchObject({ status: 503, retryAfterSeconds: 9, maxQueue: 2 });
    expect(lane.queued.map((e) => e.id)).toEqual(['b', 'c']);
    // Room again once the line moves.
    lane.finish('a');
    lane.startNext();
    expect(() => lane.enqueue('d', { n: 4 })).not.toThrow();
  });

  it('maxQueue 0 takes a job only when the lane is idle', () => {
    const { lane } = setup({ maxQueue: 0 });
    lane.enqueue('a', { n: 1 });
    expect(() => lane.enqueue('b', { n: 2 })).toThrow(QueueFullError);
    lane.startNext();
    expect(() => lane.enqueue('b', { n: 2 })).toThrow(QueueFullError);
    lane.finish('a');
    expect(() => lane.enqueue('b', { n: 2 })).not.toThrow();
  });

  it('rejects a negative maxQueue', () => {
    expect(() => new Lane({ maxQueue: -1 })).toThrow(RangeError);
  });

  it('removes a queued job at once on stop; the others keep their order', () => {
    const { lane } = setup();
    for (const id of ['a', 'b', 'c', 'd']) lane.enqueue(id, { n: 0 });
    lane.startNext();
    const r = lane.requestStop('c');
    expect(r).toMatchObject({ kind: 'dequeued', entry: { id: 'c' } });
    expect(lane.queued.map((e) => e.id)).toEqual(['b', 'd']);
    expect(lane.has('c')).toBe(false);
    expect(lane.active?.id).toBe('a'); // untouched
    expect(lane.requestStop('c')).toEqual({ kind: 'unknown' });
  });

  it('asks a running job to abort with a deadline; a second stop reports the same deadline', () => {
    const { lane, advance } = setup({ stopGraceMs: 1200 });
    lane.enqueue('a', { n: 1 });
    lane.startNext();
    advance(100);
    const r = lane.requestStop('a');
    expect(r).toMatchObject({ kind: 'abort', entry: { id: 'a' }, deadline: 2300 });
    expect(lane.active?.stop).toEqual({ requestedAt: 1100, deadline: 2300 });
    advance(300);
    expect(lane.requestStop('a')).toMatchObject({ kind: 'stopping', deadline: 2300 });
    expect(lane.stopRemainingMs()).toBe(900);
    // Still the active job until it finishes or is killed.
    expect(lane.active?.id).toBe('a');
    expect(lane.startNext()).toBeNull();
  });

  it('a running job that honours the abort in time is not overdue', () => {
    const { lane, advance } = setup({ stopGraceMs: 1000 });
    lane.enqueue('a', { n: 1 });
    lane.enqueue('b', { n: 2 });
    lane.startNext();
    lane.requestStop('a');
    advance(400);
    expect(lane.overdueStop()).toBeNull();
    expect(lane.finish('a')?.stop).not.toBeNull();
    expect(lane.overdueStop()).toBeNull();
    expect(lane.startNext()?.id).toBe('b');
    expect(lane.stopRemainingMs()).toBeNull();
  });

  it('reports a running job past its stop deadline as overdue (the caller kills the worker)', () => {
    const { lane, advance } = setup({ stopGraceMs: 1200 });
    lane.enqueue('a', { n: 1 });
    lane.enqueue('b', { n: 2 });
    lane.startNext();
    expect(lane.overdueStop()).toBeNull(); // no stop requested
    lane.requestStop('a');
    advance(1199);
    expect(lane.overdueStop()).toBeNull();
    advance(1);
    expect(lane.overdueStop()?.id).toBe('a');
    expect(lane.stopRemainingMs()).toBe(0);
    expect(lane.finish('a')?.id).toBe('a');
    expect(lane.overdueStop()).toBeNull();
    expect(lane.startNext()?.id).toBe('b');
  });

  it('stop of an unknown or finished job changes nothing', () => {
    const { lane } = setup();
    expect(lane.requestStop('nope')).toEqual({ kind: 'unknown' });
    lane.enqueue('a', { n: 1 });
    lane.startNext();
    lane.finish('a');
    expect(lane.requestStop('a')).toEqual({ kind: 'unknown' });
  });

  it('close hands back what was waiting and running, empties the lane and refuses more', () => {
    const { lane } = setup();
    lane.enqueue('a', { n: 1 });
    lane.enqueue('b', { n: 2 });
    lane.enqueue('c', { n: 3 });
    lane.startNext();
    const { queued, active } = lane.close();
    expect(active?.id).toBe('a');
    expect(queued.map((e) => e.id)).toEqual(['b', 'c']);
    expect(lane.busy).toBe(false);
    expect(lane.closed).toBe(true);
    expect(lane.startNext()).toBeNull();
    expect(() => lane.enqueue('d', { n: 4 })).toThrow(LaneClosedError);
  });
});
