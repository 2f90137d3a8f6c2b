// Snapping on the compose stage and the stage → output-pixel conversion that Apply sends.
import { describe, expect, it } from 'vitest';
import { boxFromCentre, guideStops, snapRect } from '../../src-renderer/src/canvas/snap';

const stage = { width: 600, height: 600 };

describe('snapRect', () => {
  it('pulls a box whose centre is near the canvas centre onto it', () => {
    const r = snapRect({ x: 196, y: 50, width: 210, height: 80 }, stage, 6);
    expect(r.dx).toBe(-1); // centre 301 → 300 (closer than the left edge to the third at 200)
    expect(r.vertical).toEqual([300]);
  });

  it('snaps edges to the thirds', () => {
    const r = snapRect({ x: 10, y: 203, width: 100, height: 50 }, stage, 6);
    expect(r.dy).toBe(-3); // top 203 → 200 (one third)
    expect(r.horizontal).toEqual([200]);
  });

  it('leaves a box alone when no guide is within the threshold', () => {
    const r = snapRect({ x: 120, y: 120, width: 50, height: 30 }, stage, 6);
    expect(r).toEqual({ dx: 0, dy: 0, vertical: [], horizontal: [] });
  });

  it('picks the nearest guide when two are in reach', () => {
    // left edge 2 px from 0, right edge 5 px from the centre: the edge wins
    const r = snapRect({ x: 2, y: 400, width: 293, height: 30 }, stage, 6);
    expect(r.dx).toBe(-2);
  });

  it('offers centre, thirds and edges as guides', () => {
    expect(guideStops(900)).toEqual([0, 300, 450, 600, 900]);
  });
});

describe('boxFromCentre', () => {
  it('converts a centre-origin node at stage scale into an output-pixel box', () => {
    // output 1024 px shown at 0.5: a 200x100 node centred at (256, 128) is a 400x200 box at (312, 156)
    expect(boxFromCentre({ x: 256, y: 128, width: 200, height: 100, rotation: 0 }, 0.5)).toEqual({ x: 312, y: 156, width: 400, height: 200, rotation: 0 });
  });

  it('normalises rotation to (-180, 180]', () => {
    expect(boxFromCentre({ x: 10, y: 10, width: 10, height: 10, rotation: 350 }, 1).rotation).toBe(-10);
    expect(boxFromCentre({ x: 10, y: 10, width: 10, height: 10, rotation: -190 }, 1).rotation).toBe(170);
  });
});
