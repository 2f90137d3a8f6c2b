import { describe, expect, it } from 'vitest';
import { EventBus } from './event-bus';

describe('EventBus', () => {
  it('delivers to every listener even when one throws, and unsubscribes', () => {
    const errors: unknown[] = [];
    const bus = new EventBus<{ n: number }>((e) => errors.push(e));
    const got: number[] = [];
    bus.on(() => {
      throw new Error('closed socket');
    });
    const off = bus.on((e) => got.push(e.n));
    bus.emit({ n: 1 });
    off();
    bus.emit({ n: 2 });
    expect(got).toEqual([1]);
    expect(errors).toHaveLength(2);
    expect(bus.size).toBe(1);
  });
});
