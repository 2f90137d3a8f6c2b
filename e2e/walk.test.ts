// The designer's walk of issue 11 at 1280×800 and 1920×1080: upload, four variations, pick, a
// headline with colour and outline, drag it, undo twice and redo, every format at once, export JPEG
// at 2048. Every control is checked to be in view (no page or panel scrolling) before it is used,
// and the exported files are decoded and measured. Then the keyboard (every control reachable with
// a visible focus) and axe-core (no serious or critical violations) on each view.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputSize, type AspectRatio } from '../src-main/core/params';
import { chromiumAvailable } from './support';
import {
  getBytes,
  imagesSettled,
  inView,
  openStudio,
  raw,
  readBox,
  recordSubmits,
  shot,
  submitAndWait,
  upload,
  waitForJob,
  type Studio,
} from './studio-helpers';

const canRun = chromiumAvailable();
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Fails with the control's name when it is not fully in view; then uses it. */
async function visible(page: Page, selector: string, what: string): Promise<void> {
  const ok = await inView(page, selector);
  // The screenshot shows what was in view instead, for whoever reads the failure.
  if (!ok) await page.screenshot({ path: `test-results/e2e/walk-not-in-view-${what.replace(/\W+/g, '-')}.png` });
  expect(ok, `${what} (${selector}) is in view without scrolling`).toBe(true);
}

async function pageDoesNotScroll(page: Page): Promise<void> {
  const { sh, ih, sw, iw } = await page.evaluate(() => ({
    sh: document.documentElement.scrollHeight,
    ih: window.innerHeight,
    sw: document.documentElement.scrollWidth,
    iw: window.innerWidth,
  }));
  expect(sh, 'page height').toBeLessThanOrEqual(ih);
  expect(sw, 'page width').toBeLessThanOrEqual(iw);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: AxeViolation[] }> } }).axe.run(document, {
      resultTypes: ['violations'],
    }),
  );
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
}

const serious = (v: AxeViolation[]) => v.filter((x) => x.impact === 'serious' || x.impact === 'critical');

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
]) {
  const tag = `${viewport.width}x${viewport.height}`;
  describe.skipIf(!canRun)(`the designer's walk at ${tag}`, () => {
    let s: Studio;
    beforeAll(async () => {
      s = await openStudio({ viewport });
    });
    afterAll(async () => {
      await s?.close();
    });

    it('upload, 4 variations, pick, headline with colour and outline, drag, undo ×2 and redo, all formats, JPEG at 2048', async () => {
      const { page } = s;
      await pageDoesNotScroll(page);
      await visible(page, '.drop button', 'choose a file');
      await upload(s);
      await page.getByTestId('product-original').waitFor({ state: 'visible' });
      await visible(page, '#bg-prompt', 'background prompt');
      await page.locator('#bg-prompt').fill('warm oak wooden table, rustic kitchen, morning light from the left');
      await visible(page, '[data-testid="scene-variations"]', '4 variations');
      const scenes = recordSubmits(s);
      await page.getByTestId('scene-variations').click();
      await page.getByTestId('picks-scenes').waitFor({ state: 'visible', timeout: 120_000 });
      scenes.stop();
      expect(scenes.ids).toHaveLength(4);
      await imagesSettled(page);
      await shot(page, `w-${tag}-1-variations.png`);
      await visible(page, '[data-testid="pick"] >> nth=3', 'the fourth variation');
      await page.getByTestId('pick').nth(3).click();

      await visible(page, '#headline', 'headline');
      await page.locator('#headline').fill('갓 볶은 원두\nFresh Roast');
      await visible(page, '[data-testid="generate-headline"]', 'Generate headline');
      await submitAndWait(s, () => page.getByTestId('generate-headline').click());
      await page.getByTestId('compose-stage').waitFor({ state: 'visible' });
      await imagesSettled(page);

      for (const [sel, what] of [
        ['[data-testid="fx-fill-on"]', 'fill'],
        ['[data-testid="fx-fill"]', 'fill colour'],
        ['[data-testid="fx-outline-on"]', 'outline'],
        ['[data-testid="fx-outline"]', 'outline colour'],
      ] as const)
        await visible(page, sel, what);
      await page.getByTestId('fx-fill-on').check();
      await page.getByTestId('fx-fill').fill('#2a7fff');
      await page.getByTestId('fx-outline-on').check();
      await page.getByTestId('fx-outline').fill('#ffffff');
      await page.waitForTimeout(400); // the styled layer is drawn on the stage

      // The headline is dragged here; dragging the product has its own test (product-canvas).
      await visible(page, '[data-testid="compose-stage"]', 'compose stage');
      const stage = page.getByTestId('compose-stage');
      const rect = (await stage.boundingBox())!;
      const scale = Number(await stage.getAttribute('data-scale'));
      const b0 = await readBox(page);
      const from = { x: rect.x + (b0.x + b0.width / 2) * scale, y: rect.y + (b0.y + b0.height / 2) * scale };
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(from.x, from.y + i * 12);
      await page.mouse.up();
      const b1 = await readBox(page);
      expect(b1.y).toBeGreaterThan(b0.y + 30);
      await shot(page, `w-${tag}-2-styled-dragged.png`);

      await visible(page, '[data-testid="undo"]', 'Undo');
      await page.getByTestId('undo').click(); // the drag
      expect((await readBox(page)).y).toBeCloseTo(b0.y, 0);
      await page.keyboard.press('Control+z'); // the outline colour
      await page.keyboard.press('Control+z'); // the outline
      expect(await page.getByTestId('fx-outline-on').isChecked()).toBe(false);
      await visible(page, '[data-testid="redo"]', 'Redo');
      await page.getByTestId('redo').click();
      await page.keyboard.press('Control+Shift+z');
      expect(await page.getByTestId('fx-outline-on').isChecked()).toBe(true);
      expect(await page.getByTestId('fx-outline').inputValue()).toBe('#ffffff');

      await visible(page, '[data-testid="apply"]', 'Apply');
      const applied = await submitAndWait(s, () => page.getByTestId('apply').click());
      expect(applied.status).toBe('completed');
      await imagesSettled(page);
      await shot(page, `w-${tag}-3-applied.png`);

      await visible(page, '[data-testid="all-formats"]', 'All formats');
      const formats = recordSubmits(s);
      await page.getByTestId('all-formats').click();
      await page.getByTestId('picks-formats').waitFor({ state: 'visible', timeout: 180_000 });
      formats.stop();
      // One run per format: the text effects are parameters of each run, applied by its step 3.
      expect(formats.ids).toHaveLength(5);
      const shown = await page.getByTestId('pick').evaluateAll((els) => els.map((e) => e.getAttribute('data-job-id') ?? ''));
      const jobs = await Promise.all(shown.map((id) => waitForJob(s, id)));
      expect(jobs).toHaveLength(5);
      for (const j of jobs) expect(j.start_step).toBe(1);
      for (const j of jobs) {
        expect(j.parameters.text_effects?.outline).toBeTruthy();
        // The blue fill is in every format's pixels, where the headline changed the scene.
        const final = await raw(await getBytes(s, `/api/jobs/${j.job_id}/files/final.png`));
        const scene = await raw(await getBytes(s, `/api/jobs/${j.job_id}/files/step1.png`));
        let blue = 0;
        for (let i = 0; i < final.data.length; i += 4) {
          const [r, g, b] = [final.data[i], final.data[i + 1], final.data[i + 2]];
          const d = Math.abs(r - scene.data[i]) + Math.abs(g - scene.data[i + 1]) + Math.abs(b - scene.data[i + 2]);
          if (d > 40 && b > r + 60 && b > g + 20) blue++;
        }
        expect(blue, j.parameters.aspect_ratio).toBeGreaterThan(500);
      }
      for (const j of jobs) {
        const want = outputSize(j.parameters.aspect_ratio as AspectRatio, 1024);
        const meta = await sharp(await getBytes(s, `/api/jobs/${j.job_id}/files/final.png`)).metadata();
        expect([meta.width, meta.height]).toEqual([want.width, want.height]);
      }
      await imagesSettled(page);
      await shot(page, `w-${tag}-4-formats.png`);
      await visible(page, '.picks-head button >> text=/Close|닫기/', 'close formats');
      await page.locator('.picks-head').getByRole('button', { name: 'Close' }).click();

      for (const [sel, what] of [
        ['[data-testid="export-format"]', 'export format'],
        ['[data-testid="export-size"]', 'export size'],
        ['[data-testid="export-quality"]', 'export quality'],
        ['[data-testid="download"]', 'Download'],
      ] as const)
        await visible(page, sel, what);
      await page.getByTestId('export-format').selectOption('jpeg');
      await page.getByTestId('export-size').selectOption('2048');
      const dl = page.waitForEvent('download', { timeout: 180_000 });
      await page.getByTestId('download').click();
      const file = await dl;
      const meta = await sharp(readFileSync(await file.path())).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 2048, 2048]);
      expect(file.suggestedFilename()).toMatch(/^adforge-\d{4}-\d\d-\d\d-.*-2048x2048\.jpg$/);
      await page.getByText(/Saved adforge-/).waitFor({ state: 'visible' });
      await pageDoesNotScroll(page);
      await shot(page, `w-${tag}-5-exported.png`);
      expect(s.consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
    });

    it('keyboard: every control on each view is reachable with Tab and shows a visible focus', async () => {
      const { page } = s;
      const views: [string, () => Promise<void>][] = [
        ['step 3', () => page.getByTestId('step-tab-3').click()],
        ['step 2', () => page.getByTestId('step-tab-2').click()],
        ['step 1', () => page.getByTestId('step-tab-1').click()],
        ['history', () => page.locator('.tabs').getByRole('button', { name: 'History' }).click()],
        ['settings', () => page.locator('.tabs').getByRole('button', { name: 'Settings' }).click()],
      ];
      for (const [name, go] of views) {
        await go();
        await page.waitForTimeout(400);
        const report = await tabWalk(page);
        expect(report.unreached, `${name}: controls Tab never reaches`).toEqual([]);
        expect(report.noRing, `${name}: focused without a visible change`).toEqual([]);
      }
      await page.locator('.tabs').getByRole('button', { name: 'Studio' }).click();
    });

    it('axe-core: no serious or critical violations on any view, in English and Korean', async () => {
      const { page } = s;
      const results: Record<string, AxeViolation[]> = {};
      for (const lang of ['en', 'ko'] as const) {
        await page.locator('.topbar select').selectOption(lang);
        const nav = (en: string, ko: string) => page.locator('.tabs').getByRole('button', { name: lang === 'en' ? en : ko });
        await nav('Studio', '스튜디오').click();
        for (const n of [1, 2, 3]) {
          await page.getByTestId(`step-tab-${n}`).click();
          await page.waitForTimeout(300);
          results[`${lang} step ${n}`] = await axe(page);
        }
        await nav('History', '작업 기록').click();
        await page.locator('.card').first().waitFor({ state: 'visible' });
        results[`${lang} history`] = await axe(page);
        await nav('Settings', '설정').click();
        await page.waitForTimeout(500);
        results[`${lang} settings`] = await axe(page);
      }
      await page.locator('.topbar select').selectOption('en');
      console.log(
        `axe at ${tag}:\n${Object.entries(results)
          .map(
            ([k, v]) => `  ${k}: ${v.length ? v.map((x) => `${x.id}(${x.impact}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')})`).join(' ') : 'none'}`,
          )
          .join('\n')}`,
      );
      for (const [view, v] of Object.entries(results))
        expect(
          serious(v).map((x) => `${x.id}: ${x.help} — ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`),
          view,
        ).toEqual([]);
    });
  });
}

/**
 * Tabs through the page once. Reports visible, enabled controls Tab never reached (a native radio
 * group and a roving-tabindex group count as reached through their one stop) and stops whose
 * look did not change on focus (no ring, border or shadow on them or their label).
 */
async function tabWalk(page: Page): Promise<{ unreached: string[]; noRing: string[] }> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    const w = window as unknown as { __look: Map<Element, string> };
    w.__look = new Map();
    const look = (el: Element) => {
      const parts: string[] = [];
      for (let e: Element | null = el, i = 0; e && i < 3; e = e.parentElement, i++) {
        const st = getComputedStyle(e);
        parts.push(`${st.outlineStyle} ${st.outlineWidth} ${st.outlineColor} ${st.boxShadow} ${st.borderColor} ${st.backgroundColor}`);
      }
      return parts.join('|');
    };
    for (const el of document.querySelectorAll('button, input, select, textarea, a[href], [tabindex]')) w.__look.set(el, look(el));
  });
  const reached: string[] = [];
  const noRing: string[] = [];
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    const r = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const w = window as unknown as { __look: Map<Element, string>; __ids?: WeakMap<Element, string>; __n?: number };
      w.__ids ??= new WeakMap();
      w.__n ??= 0;
      let id = w.__ids.get(el);
      if (!id) {
        id = `k${w.__n++}`;
        w.__ids.set(el, id);
        el.setAttribute('data-kb', id);
      }
      const parts: string[] = [];
      for (let e: Element | null = el, j = 0; e && j < 3; e = e.parentElement, j++) {
        const st = getComputedStyle(e);
        parts.push(`${st.outlineStyle} ${st.outlineWidth} ${st.outlineColor} ${st.boxShadow} ${st.borderColor} ${st.backgroundColor}`);
      }
      const changed = w.__look.get(el) !== parts.join('|');
      const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}[${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}]`;
      return { id, changed, name };
    });
    if (!r) continue;
    if (reached.includes(r.id)) break;
    reached.push(r.id);
    if (!r.changed) noRing.push(r.name);
  }
  const unreached = await page.evaluate((ids) => {
    const got = new Set(ids);
    const reachedEls = [...document.querySelectorAll('[data-kb]')].filter((e) => got.has(e.getAttribute('data-kb') ?? ''));
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href]')) {
      if (got.has(el.getAttribute('data-kb') ?? '')) continue;
      if ((el as HTMLButtonElement).disabled || el.tabIndex < 0) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || !el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })) continue;
      if (el.closest('[aria-hidden="true"]')) continue;
      // One Tab stop per radio group.
      if (el instanceof HTMLInputElement && el.type === 'radio' && reachedEls.some((x) => x instanceof HTMLInputElement && x.name === el.name)) continue;
      out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}[${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}]`);
    }
    return out;
  }, reached);
  return { unreached, noRing };
}
