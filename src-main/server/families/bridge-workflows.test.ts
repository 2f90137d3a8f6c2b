// The bridge's declared inputs ("6/text": {type, title, class, default}) and its strict typing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyInputs, BUILTIN_WORKFLOWS, declaredInputs, loadWorkflows } from './bridge-workflows';

const ad = BUILTIN_WORKFLOWS.find((w) => w.alias === 'adforge-ad');
if (!ad) throw new Error('missing built-in workflow');

describe('bridge workflows', () => {
  it('declares the admin-chosen inputs in the seed shape, typed from the node definitions', () => {
    const inputs = declaredInputs(ad);
    expect(inputs['6/text']).toEqual({ type: 'str', title: 'Headline', class: 'AdForge3DText', default: '새로운 시작' });
    expect(inputs['3/seed']).toMatchObject({ type: 'int', class: 'AdForgeBackground', default: 42 });
    expect(inputs['10/image']).toMatchObject({ type: 'str', class: 'AdForgeLoadProductImage' });
    // Widgets the admin did not tick are not offered.
    expect(inputs['3/long_edge']).toBeUndefined();
  });
  it('sets values with strict types and refuses undeclared keys', () => {
    const ok = applyInputs(ad, { '6/text': 'HELLO', '3/seed': 9 });
    expect('graph' in ok && ok.graph['6'].inputs.text).toBe('HELLO');
    expect(applyInputs(ad, { '3/seed': 1.5 })).toEqual({ error: expect.stringContaining('3/seed: expected int') });
    expect(applyInputs(ad, { '3/seed': '9' })).toEqual({ error: expect.stringContaining('expected int') });
    expect(applyInputs(ad, { '3/long_edge': 512 })).toEqual({ error: expect.stringContaining('not an input of workflow') });
  });
  it("loads an admin's JSON graphs from the workflow folder and skips broken files", async () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'bridge-wf-'));
    writeFileSync(
      join(dir, 'promo.json'),
      JSON.stringify({ '1': { class_type: 'AdForgeBackground', inputs: { bg_prompt: 'x' }, _meta: { title: 'BG', apiinput: 'bg_prompt' } } }),
    );
    writeFileSync(join(dir, 'broken.json'), '{');
    writeFileSync(join(dir, 'workflow_alias.json'), JSON.stringify([{ alias: 'promo-bg', fn: 'promo.json', description: 'Promo' }]));
    const list = await loadWorkflows(dir);
    const promo = list.find((w) => w.alias === 'promo-bg');
    expect(promo?.description).toBe('Promo');
    expect(declaredInputs(promo as typeof ad)).toEqual({ '1/bg_prompt': { type: 'str', title: 'BG', class: 'AdForgeBackground', default: 'x' } });
    expect(list.some((w) => w.alias === 'broken')).toBe(false);
  });
});
