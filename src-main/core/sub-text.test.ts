import { describe, expect, it } from 'vitest';
import { placeSubText } from './sub-text';

const canvas = { width: 1000, height: 1000 };
const layer = { width: 300, height: 60 };
const below = { position: 'below_headline' as const, center: null };

describe('placeSubText', () => {
  it('goes under the headline, centred on it', () => {
    const at = placeSubText(canvas, layer, below, { x: 100, y: 100, width: 600, height: 200 });
    expect(at.x + layer.width / 2).toBe(400);
    expect(at.y).toBeGreaterThan(300);
  });

  it('keeps clear of a turned headline: under its upright bounds, not its unturned box', () => {
    const box = { x: 200, y: 100, width: 600, height: 200, rotation: 20 };
    const at = placeSubText(canvas, layer, below, box);
    const a = (20 * Math.PI) / 180;
    const bottom = 200 + (600 * Math.sin(a) + 200 * Math.cos(a)) / 2;
    expect(at.y).toBeGreaterThanOrEqual(bottom);
  });

  it('above the headline when the bottom has no room; top and bottom bands; held inside', () => {
    const low = placeSubText(canvas, layer, below, { x: 100, y: 780, width: 800, height: 200 });
    expect(low.y + layer.height).toBeLessThanOrEqual(780);
    expect(placeSubText(canvas, layer, { position: 'top', center: null }, null).y).toBeLessThan(60);
    expect(placeSubText(canvas, layer, { position: 'bottom', center: null }, null).y + layer.height).toBeGreaterThan(940);
    expect(placeSubText(canvas, layer, { position: 'top', center: { x: 5000, y: -40 } }, null)).toEqual({ x: 700, y: 0 });
  });
});
