// Product on the canvas (issue 11): the designer drags the product with the real mouse on the
// compose stage, Apply re-renders step 1 from the job on screen (its cut-out reused, the same seed)
// with the product where it was dropped; the final PNG shows the product and its shadow moved and
// the old place showing the backdrop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../src-preload/contract';
import { chromiumAvailable } from './support';
import { getBytes, getJson, imagesSettled, makeHeadline, makeScene, openStudio, raw, shot, submitAndWait, type Raw, type Studio } from './studio-helpers';

const canRun = chromiumAvailable();
type Box = { x: number; y: number; width: number; height: number };

const luma = (r: Raw, x: number, y: number) => {
  const i = (Math.round(y) * r.width + Math.round(x)) * 4;
  return 0.299 * r.data[i] + 0.587 * r.data[i + 1] + 0.114 * r.data[i + 2];
};
/** Mean luminance over a horizontal strip (x0..x1 at rows y..y+h). */
const strip = (r: Raw, x0: number, x1: number, y: number, h = 6) => {
  let sum = 0,
    n = 0;
  for (let yy = Math.max(0, y); yy < Math.min(r.height, y + h); yy++)
    for (let x = Math.max(0, Math.round(x0)); x < Math.min(r.width, Math.round(x1)); x++, n++) sum += luma(r, x, yy);
  return n ? sum / n : NaN;
};

describe.skipIf(!canRun)('product on the compose stage, in Chromium', () => {
  let s: Studio;
  beforeAll(async () => {
    s = await openStudio();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('drag the product with the mouse, Apply: product and shadow move, the old place shows the backdrop; Ctrl+Z takes the move back', async () => {
    await makeScene(s, 'white marble countertop, soft window light from the left');
    await makeHeadline(s, 'Fresh Roast');
    const before = await submitAndWait(s, () => s.page.getByTestId('apply').click());
    expect(before.status).toBe('completed');
    const scene = await getJson<{ productBox: Box; groundY: number }>(s, `/api/jobs/${before.job_id}/files/scene.json`);
    const old = scene.productBox;
    const stage = s.page.getByTestId('compose-stage');
    const rect = (await stage.boundingBox())!;
    const k = Number(await stage.getAttribute('data-scale'));
    // Grab the product low down (the headline sits away from it) and drag it a third of the frame left.
    const dx = -Math.round(old.x * 0.9) * k;
    const from = { x: rect.x + (old.x + old.width / 2) * k, y: rect.y + (old.y + old.height * 0.8) * k };
    await s.page.mouse.move(from.x, from.y);
    await s.page.mouse.down();
    for (let i = 1; i <= 10; i++) await s.page.mouse.move(from.x + (dx * i) / 10, from.y);
    await s.page.mouse.up();
    await expect.poll(() => s.page.getByTestId('apply').isEnabled(), { timeout: 15_000 }).toBe(true);
    await s.page.waitForTimeout(300);
    await shot(s.page, 'product-dragged.png');
    // Before Apply the stage does not show the product twice: its old place (right of the moved
    // cut-out) is marked as a dark hatched patch, no longer the red cup.
    const staged = await raw(await stage.screenshot());
    const patch = {
      x0: Math.round((old.x + old.width * 0.75) * k),
      x1: Math.round((old.x + old.width * 0.95) * k),
      y: Math.round((old.y + old.height * 0.55) * k),
    };
    let grey = 0;
    let red = 0;
    let seen = 0;
    for (let y = patch.y - 10; y < patch.y + 10; y++)
      for (let x = patch.x0; x < patch.x1; x++, seen++) {
        const i = (y * staged.width + x) * 4;
        const [r, g, b] = [staged.data[i], staged.data[i + 1], staged.data[i + 2]];
        if (Math.max(r, g, b) < 110 && Math.max(r, g, b) - Math.min(r, g, b) < 40) grey++;
        if (r > 120 && r > g + 50) red++;
      }
    expect(grey / seen).toBeGreaterThan(0.6);
    expect(red / seen).toBeLessThan(0.1);

    const after: JobRecord = await submitAndWait(s, () => s.page.getByTestId('apply').click());
    expect(after.status).toBe('completed');
    expect(after.start_step).toBe(1);
    expect(after.parameters.from_job_id).toBe(before.job_id);
    expect(after.parameters.seed).toBe(before.parameters.seed);
    expect(after.engines.segment).toBe('reused'); // the cut-out was not made again
    const afterScene = await getJson<{ productBox: Box; groundY: number }>(s, `/api/jobs/${after.job_id}/files/scene.json`);
    const moved = afterScene.productBox;
    expect(Math.abs(moved.x - (old.x + dx / k))).toBeLessThan(4);
    expect(Math.abs(moved.y - old.y)).toBeLessThan(4);

    const a = await raw(await getBytes(s, `/api/jobs/${before.job_id}/files/final.png`));
    const b = await raw(await getBytes(s, `/api/jobs/${after.job_id}/files/final.png`));
    const oldOnly = { x0: Math.max(old.x, moved.x + moved.width) + 4, x1: old.x + old.width - 4 };
    expect(oldOnly.x1 - oldOnly.x0).toBeGreaterThan(10);
    // The old place: the product is gone, the backdrop (same seed, same scene) shows through.
    const step1 = await raw(await getBytes(s, `/api/jobs/${after.job_id}/files/step1.png`));
    const midY = old.y + old.height * 0.6;
    let gone = 0,
      n = 0;
    for (let x = oldOnly.x0; x < oldOnly.x1; x += 2, n++) if (Math.abs(luma(b, x, midY) - luma(a, x, midY)) > 12) gone++;
    expect(gone / n).toBeGreaterThan(0.5);
    expect(Math.abs(strip(b, oldOnly.x0, oldOnly.x1, midY) - strip(step1, oldOnly.x0, oldOnly.x1, midY))).toBeLessThan(3);
    // The new place shows the product where the backdrop was plain before.
    const newOnly = { x0: moved.x + 4, x1: Math.min(moved.x + moved.width, old.x) - 4 };
    expect(Math.abs(strip(b, newOnly.x0, newOnly.x1, midY) - strip(a, newOnly.x0, newOnly.x1, midY))).toBeGreaterThan(8);
    // The shadow follows: the rerun keeps the scene's seed, so the floor is the same backdrop, and
    // around the new base (outside both products) the floor is now darker: the product's shadow.
    const maskA = await raw(await getBytes(s, `/api/jobs/${before.job_id}/files/mask.png`));
    const maskB = await raw(await getBytes(s, `/api/jobs/${after.job_id}/files/mask.png`));
    const stepA = await raw(await getBytes(s, `/api/jobs/${before.job_id}/files/step1.png`));
    const floor = {
      x0: Math.max(0, moved.x - 0.15 * moved.width),
      x1: Math.min(old.x, moved.x + moved.width),
      y0: moved.y + 0.7 * moved.height,
      y1: Math.min(b.height - 1, moved.y + 1.08 * moved.height),
    };
    let darker = 0;
    let lighter = 0;
    let m = 0;
    for (let y = Math.round(floor.y0); y < floor.y1; y += 2)
      for (let x = Math.round(floor.x0); x < floor.x1; x += 2) {
        const i = (y * b.width + x) * 4;
        if (maskA.data[i] > 8 || maskB.data[i] > 8) continue;
        m++;
        const d = luma(step1, x, y) - luma(stepA, x, y);
        if (d < -6) darker++;
        if (d > 6) lighter++;
      }
    // Soft window light makes a faint shadow (measured: about 7% of that floor darker, none lighter);
    // a floor painted from another seed would change both ways.
    expect(m).toBeGreaterThan(50);
    expect(darker / m).toBeGreaterThan(0.03);
    expect(lighter).toBeLessThan(darker / 10);
    await imagesSettled(s.page);
    await shot(s.page, 'product-applied.png');

    // Undo takes the applied move back to the version before it.
    await s.page.keyboard.press('Control+z');
    await expect.poll(() => s.page.locator('.studio').getAttribute('data-job-id'), { timeout: 15_000 }).toBe(before.job_id);
  }, 300_000);
});
