// What each studio button sends: reruns name the job on screen and start at their own step, so
// the earlier steps are reused; Apply sends the placed box in output pixels.
import { describe, expect, it } from 'vitest';
import { GenerateRequestSchema } from '../../src-main/core/params';
import { NO_TEXT_EFFECTS } from '../../src-main/core/text-effects';
import type { JobRecord } from '../../src-main/core/service';
import {
  alreadyApplied,
  buildRequest,
  exportRequest,
  productMoved,
  refitBox,
  typographyChanged,
  type RequestInputs,
} from '../../src-renderer/src/stores/requests';

const inputs = (over: Partial<RequestInputs> = {}): RequestInputs => ({
  product: { dataUrl: 'data:image/png;base64,AAAA', name: 'p.png' },
  bgPrompt: 'marble',
  bgNegative: 'blurry',
  aspect: '4:5',
  productScale: 0.6,
  seed: '',
  text: '봄 세일\nSpring Sale',
  fontName: 'NanumSquare/NanumSquareB.ttf',
  textPrompt: 'gold',
  textNegative: 'flat',
  mode: 'overlay',
  placement: 'auto',
  box: null,
  productBox: null,
  current: { job_id: 'job-a' } as JobRecord,
  letterSpacing: 0,
  lineHeight: 1.16,
  align: 'center',
  textFx: NO_TEXT_EFFECTS,
  subText: null,
  ...over,
});

describe('buildRequest', () => {
  it('scene: step 1 only, with the photo, and never a box from an older scene', () => {
    const r = GenerateRequestSchema.parse(buildRequest(inputs({ placement: 'custom', box: { x: 1, y: 2, width: 3, height: 4, rotation: 0 } }), 'scene'));
    expect(r).toMatchObject({
      start_step: 1,
      stop_step: 1,
      product_image: 'data:image/png;base64,AAAA',
      aspect_ratio: '4:5',
      text_box: null,
      from_job_id: null,
    });
  });

  it('headline rerun: starts at step 2 from the job on screen and stops there', () => {
    const r = GenerateRequestSchema.parse(buildRequest(inputs({ fontName: 'NanumGothic/NanumGothicBold.ttf' }), 'headline'));
    expect(r).toMatchObject({ start_step: 2, stop_step: 2, from_job_id: 'job-a', font_name: 'NanumGothic/NanumGothicBold.ttf', product_image: null });
  });

  it('apply: step 3 from the job on screen with the placed box', () => {
    const box = { x: 100.5, y: 700, width: 600, height: 200, rotation: -8 };
    const r = GenerateRequestSchema.parse(buildRequest(inputs({ placement: 'custom', box }), 'apply'));
    expect(r).toMatchObject({ start_step: 3, stop_step: 3, from_job_id: 'job-a', text_box: box });
  });

  it('apply with a preset sends the position and no box; an empty seed means random', () => {
    const r = GenerateRequestSchema.parse(buildRequest(inputs({ placement: 'bottom', box: { x: 1, y: 1, width: 1, height: 1, rotation: 0 } }), 'apply'));
    expect(r.text_position).toBe('bottom');
    expect(r.text_box).toBeNull();
    expect(r.seed).toBeNull();
    expect(GenerateRequestSchema.parse(buildRequest(inputs({ seed: '42' }), 'apply')).seed).toBe(42);
  });
});

describe('refitBox', () => {
  it('keeps centre and height when the text layer changes aspect', () => {
    const b = refitBox({ x: 100, y: 50, width: 400, height: 100, rotation: 5 }, { width: 300, height: 100 });
    expect(b).toEqual({ x: 150, y: 50, width: 300, height: 100, rotation: 5 });
  });
});

/** A finished job on screen: the parameters that made it (a 1:1 overlay ad, seed 42) plus `over`. */
function jobOnScreen(over: Record<string, unknown> = {}, job: Record<string, unknown> = {}): JobRecord {
  const parameters = {
    seed: 42,
    bg_prompt: 'marble',
    text_content: 'Hi',
    composition_mode: 'overlay',
    text_position: 'top',
    text_box: null,
    product_box: null,
    long_edge: 1024,
    aspect_ratio: '1:1',
    ...over,
  };
  return { job_id: 'job-a', artifacts: ['final'], stop_step: 3, ...job, parameters } as unknown as JobRecord;
}

describe('product moved on the stage', () => {
  const current = jobOnScreen();

  it('Apply reruns step 1 from the job on screen with the product box, the same seed and no photo (the cut-out is reused)', () => {
    const s = inputs({ current, text: 'Hi', mode: 'overlay', placement: 'top', productBox: { x: 10, y: 20, width: 300, flip: true } });
    expect(productMoved(s)).toBe(true);
    expect(alreadyApplied(s)).toBe(false);
    expect(buildRequest(s, 'apply')).toMatchObject({
      start_step: 1,
      stop_step: 3,
      from_job_id: 'job-a',
      product_image: null,
      seed: 42,
      bg_prompt: 'marble',
      product_box: { x: 10, y: 20, width: 300, flip: true },
    });
  });

  it('an unmoved product leaves Apply a step-3 rerun; a new scene forgets the box', () => {
    const s = inputs({ current, text: 'Hi', placement: 'top', productBox: null });
    expect(productMoved(s)).toBe(false);
    expect(buildRequest(s, 'apply').start_step).toBe(3);
    expect(buildRequest({ ...s, productBox: { x: 1, y: 1, width: 9, flip: false } }, 'scene').product_box).toBeNull();
  });
});

describe('text effects, typography and the second line travel with every run', () => {
  const fx = { fill: '#ff0000', fill_to: null, outline: '#00ff00', outline_width: 0.03, shadow: 0.5 };
  const sub = { text: 'Shop now', color: '#ffffff', background: '#d0103a', size: 0.05, position: 'below_headline' as const, center: { x: 500, y: 800 } };
  const current = jobOnScreen(
    { letter_spacing: 0.1, line_height: 1.4, text_align: 'left', text_effects: fx, sub_text: sub },
    { artifacts: ['final', 'step2'] },
  );

  it('Apply after moving the product keeps the effects and the second line (they are parameters, not pixels)', () => {
    const s = inputs({ current, text: 'Hi', placement: 'top', textFx: fx, subText: sub, productBox: { x: 10, y: 20, width: 300, flip: false } });
    const r = GenerateRequestSchema.parse(buildRequest(s, 'apply'));
    expect(r.start_step).toBe(1);
    expect(r.text_effects).toEqual(fx);
    expect(r.sub_text).toEqual(sub);
  });

  it('Apply records the typography that made the layer; Generate headline sends the fields', () => {
    const s = inputs({ current, text: 'Hi', placement: 'top', letterSpacing: 0.3, lineHeight: 2, align: 'right' });
    expect(typographyChanged(s, 1.16)).toBe(true);
    expect(buildRequest(s, 'apply')).toMatchObject({ letter_spacing: 0.1, line_height: 1.4, text_align: 'left' });
    expect(buildRequest(s, 'headline')).toMatchObject({ letter_spacing: 0.3, line_height: 2, text_align: 'right' });
    expect(typographyChanged({ ...s, letterSpacing: 0.1, lineHeight: 1.4, align: 'left' }, 1.16)).toBe(false);
  });

  it('a new scene or format puts the second line back under the headline; an export scales its place', () => {
    const s = inputs({ current, subText: sub });
    expect(buildRequest(s, 'all').sub_text).toMatchObject({ text: 'Shop now', center: null });
    const big = exportRequest(current, 2048, null);
    expect(big.sub_text).toMatchObject({ center: { x: 1000, y: 1600 } });
    expect(big.text_effects).toEqual(fx);
  });

  it('changed effects mean Apply has work to do; the same look in another object does not', () => {
    const s = inputs({ current, text: 'Hi', mode: 'overlay', placement: 'top', subText: sub, textFx: fx });
    expect(alreadyApplied(s)).toBe(true);
    expect(alreadyApplied({ ...s, textFx: { ...fx } })).toBe(true);
    expect(alreadyApplied({ ...s, textFx: { ...fx, outline: '#0000ff' } })).toBe(false);
    expect(alreadyApplied({ ...s, textFx: { ...fx, fill: null, outline: null, shadow: 0 } })).toBe(false);
  });

  it('a changed second line means Apply has work to do', () => {
    const s = inputs({ current, text: 'Hi', mode: 'overlay', placement: 'top', subText: sub, textFx: fx });
    expect(alreadyApplied(s)).toBe(true);
    expect(alreadyApplied({ ...s, subText: { ...sub, text: 'Buy' } })).toBe(false);
    expect(alreadyApplied({ ...s, subText: null })).toBe(false);
  });
});

describe('reruns from step 1 repaint the scene that is on screen', () => {
  const current = jobOnScreen({}, { job_id: 'job-h', artifacts: ['final', 'step2'], start_step: 2 });
  it('a seed typed after the scene (the headline job records it) does not change the backdrop of a product move or an export', () => {
    const s = inputs({ current, text: 'Hi', placement: 'top', sceneSeed: 7, productBox: { x: 1, y: 2, width: 300, flip: false } });
    expect(buildRequest(s, 'apply')).toMatchObject({ start_step: 1, seed: 7 });
    expect(exportRequest(current, 2048, null, 7).seed).toBe(7);
    expect(exportRequest(current, 2048, null).seed).toBe(42);
  });
});
