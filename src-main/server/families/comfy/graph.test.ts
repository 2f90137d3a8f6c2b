// Graph validation and translation: ComfyUI's error types/messages/node_errors for bad graphs, and
// the one GenerateRequest a good graph becomes.
import { describe, expect, it } from 'vitest';
import { GraphError, translateGraph, type ComfyErrorBody } from './graph';
import { objectInfo } from './nodes';

const ctx = { inputFiles: ['bottle.png', 'scene.png', 'sub/x.png'], fonts: ['NanumSquare/NanumSquareB.ttf', 'NanumGothic/NanumGothic.ttf'] };

function graph(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '1': { class_type: 'AdForgeLoadProductImage', inputs: { image: 'bottle.png' } },
    '2': {
      class_type: 'AdForgeBackground',
      inputs: {
        product: ['1', 0],
        bg_prompt: 'marble',
        bg_negative_prompt: '',
        seed: 7,
        aspect_ratio: '4:5',
        long_edge: 768,
        product_scale: 0.5,
        strength: 0.6,
        guidance_scale: 3.5,
        steps: 4,
      },
    },
    '3': {
      class_type: 'AdForge3DText',
      inputs: { scene: ['2', 0], text: 'SALE', style_prompt: 'chrome', negative_prompt: '', font_name: 'NanumSquare/NanumSquareB.ttf' },
    },
    '4': {
      class_type: 'AdForgeCompose',
      inputs: { scene: ['2', 0], text_layer: ['3', 0], composition_mode: 'behind', text_position: 'auto', composition_strength: 0.3 },
    },
    '9': { class_type: 'SaveImage', inputs: { images: ['4', 0], filename_prefix: 'ads/summer' } },
    ...over,
  };
}

function rejected(raw: unknown): ComfyErrorBody {
  try {
    translateGraph(raw, ctx);
  } catch (err) {
    if (err instanceof GraphError) return err.body;
    throw err;
  }
  throw new Error('graph was accepted');
}

describe('translateGraph', () => {
  it('turns the full graph into one step 1-3 request with every widget value', () => {
    const plan = translateGraph(graph(), ctx);
    expect(plan.request).toMatchObject({
      start_step: 1,
      stop_step: 3,
      bg_prompt: 'marble',
      seed: 7,
      aspect_ratio: '4:5',
      long_edge: 768,
      product_scale: 0.5,
      text_content: 'SALE',
      text_model_prompt: 'chrome',
      font_name: 'NanumSquare/NanumSquareB.ttf',
      composition_mode: 'behind',
      text_position: 'auto',
      composition_strength: 0.3,
    });
    expect(plan.productImage).toBe('bottle.png');
    expect(plan.order).toEqual(['1', '2', '3', '4', '9']);
    expect(plan.outputs).toEqual([{ nodeId: '9', role: 'save', artifact: 'final', prefix: 'ads/summer' }]);
    expect(plan.nodeErrors).toEqual({});
  });

  it('saving only the scene is a background-only job; a preview of the scene runs right after it', () => {
    const plan = translateGraph(graph({ '9': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'bg' } } }), ctx);
    expect(plan.request).toMatchObject({ start_step: 1, stop_step: 1, text_content: null });
    expect(plan.order).toEqual(['1', '2', '9']);
    const both = translateGraph(graph({ '8': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } } }), ctx);
    expect(both.order).toEqual(['1', '2', '8', '3', '4', '9']);
    expect(both.outputs.find((o) => o.nodeId === '8')).toMatchObject({ role: 'preview', artifact: 'step1' });
  });

  it('composing onto an uploaded scene re-runs steps 2-3 (start_step 2)', () => {
    const g = graph({ '1': { class_type: 'LoadImage', inputs: { image: 'scene.png [input]' } } });
    delete g['2'];
    (g['3'] as { inputs: Record<string, unknown> }).inputs.scene = ['1', 0];
    (g['4'] as { inputs: Record<string, unknown> }).inputs.scene = ['1', 0];
    const plan = translateGraph(g, ctx);
    expect(plan.request).toMatchObject({ start_step: 2, stop_step: 3 });
    expect(plan.sceneImage).toBe('scene.png');
    expect(plan.productImage).toBeNull();
  });

  it('no prompt object, a node without class_type, an unknown class: ComfyUI error bodies', () => {
    expect(rejected([1, 2]).error.type).toBe('invalid_prompt');
    const noClass = rejected({ '3': { inputs: {} } });
    expect(noClass).toEqual({
      error: { type: 'invalid_prompt', message: 'Cannot execute because a node is missing the class_type property.', details: "Node ID '#3'", extra_info: {} },
      node_errors: {},
    });
    const unknown = rejected(graph({ '5': { class_type: 'KSampler', inputs: {}, _meta: { title: 'Sampler' } } }));
    expect(unknown.error).toEqual({
      type: 'missing_node_type',
      message: "Node 'KSampler' not found. The custom node may not be installed.",
      details: "Node ID '#5'",
      extra_info: { node_id: '5', class_type: 'KSampler', node_title: 'Sampler' },
    });
    const g = graph();
    delete g['9'];
    expect(rejected(g).error).toMatchObject({ type: 'prompt_no_outputs', message: 'Prompt has no outputs' });
  });

  it('missing inputs, values out of range or not in the list: prompt_outputs_failed_validation with node_errors', () => {
    const body = rejected(
      graph({
        '2': {
          class_type: 'AdForgeBackground',
          inputs: {
            product: ['1', 0],
            bg_prompt: 'x',
            bg_negative_prompt: '',
            aspect_ratio: '3:1',
            long_edge: 100,
            product_scale: 0.5,
            strength: 0.6,
            guidance_scale: 3.5,
            steps: 4,
          },
        },
      }),
    );
    expect(body.error.type).toBe('prompt_outputs_failed_validation');
    const errs = body.node_errors['2'];
    expect(errs.class_type).toBe('AdForgeBackground');
    expect(errs.dependent_outputs).toEqual(['9']);
    expect(errs.errors.map((e) => e.type).sort()).toEqual(['required_input_missing', 'value_not_in_list', 'value_smaller_than_min']);
    expect(errs.errors.find((e) => e.type === 'value_smaller_than_min')?.message).toBe('Value 100 smaller than min of 256');
    expect(errs.errors.find((e) => e.type === 'value_not_in_list')?.details).toBe("aspect_ratio: '3:1' not in ['1:1', '4:5', '9:16', '16:9', '1.91:1']");
    expect(errs.errors.find((e) => e.type === 'required_input_missing')?.extra_info).toEqual({ input_name: 'seed' });
    // Downstream nodes that only inherit the failure are not listed.
    expect(Object.keys(body.node_errors)).toEqual(['2']);
    expect(body.error.details).toContain('Required input is missing: seed');
  });

  it('an image that was never uploaded, a wrong link type, a link to nowhere', () => {
    const file = rejected(graph({ '1': { class_type: 'AdForgeLoadProductImage', inputs: { image: '../etc/passwd' } } }));
    expect(file.node_errors['1'].errors[0]).toMatchObject({ type: 'custom_validation_failed', details: 'image - Invalid image file: ../etc/passwd' });
    const mismatch = rejected(
      graph({
        '4': {
          class_type: 'AdForgeCompose',
          inputs: { scene: ['2', 0], text_layer: ['2', 0], composition_mode: 'overlay', text_position: 'top', composition_strength: 0.4 },
        },
      }),
    );
    expect(mismatch.node_errors['4'].errors[0]).toMatchObject({
      type: 'return_type_mismatch',
      details: 'text_layer, received_type(IMAGE) mismatch input_type(ADFORGE_TEXT_LAYER)',
    });
    const dangling = rejected(graph({ '9': { class_type: 'SaveImage', inputs: { images: ['77', 0], filename_prefix: 'x' } } }));
    expect(dangling.node_errors['9'].errors[0].type).toBe('bad_linked_input');
  });

  it('an unknown font is value_not_in_list; "(default)" means the default font', () => {
    const bad = rejected(
      graph({ '3': { class_type: 'AdForge3DText', inputs: { scene: ['2', 0], text: 'A', style_prompt: 's', negative_prompt: '', font_name: '../../x.ttf' } } }),
    );
    expect(bad.node_errors['3'].errors[0].type).toBe('value_not_in_list');
    const ok = translateGraph(
      graph({ '3': { class_type: 'AdForge3DText', inputs: { scene: ['2', 0], text: 'A', style_prompt: 's', negative_prompt: '', font_name: '(default)' } } }),
      ctx,
    );
    expect(ok.request.font_name).toBeNull();
  });

  it('one valid output among failing ones still runs, reporting the failures (ComfyUI answers 200)', () => {
    const plan = translateGraph(graph({ '8': { class_type: 'SaveImage', inputs: { images: ['2', 0] } } }), ctx);
    expect(plan.outputs.map((o) => o.nodeId)).toEqual(['9']);
    expect(plan.nodeErrors['8'].errors[0]).toMatchObject({ type: 'required_input_missing', details: 'filename_prefix' });
  });

  it('two pipelines in one prompt are refused; partial_execution_targets picks outputs', () => {
    const two = graph({
      '5': {
        class_type: 'AdForgeBackground',
        inputs: {
          bg_prompt: 'b',
          bg_negative_prompt: '',
          seed: 1,
          aspect_ratio: '1:1',
          long_edge: 512,
          product_scale: 0.5,
          strength: 0.5,
          guidance_scale: 3,
          steps: 4,
        },
      },
      '8': { class_type: 'SaveImage', inputs: { images: ['5', 0], filename_prefix: 'x' } },
    });
    const refused = rejected(two);
    expect(refused.error.type).toBe('prompt_outputs_failed_validation');
    expect(Object.values(refused.node_errors)[0].errors[0]).toMatchObject({
      type: 'custom_validation_failed',
      details: expect.stringContaining('one AdForge pipeline per prompt'),
    });
    const only8 = translateGraph(two, ctx, { targets: ['8'] });
    expect(only8.request).toMatchObject({ stop_step: 1, bg_prompt: 'b' });
    expect(only8.productImage).toBeNull();
  });

  it('object_info lists every class in ComfyUI NodeInfo shape with the live upload and font lists', () => {
    const info = objectInfo(ctx) as Record<string, { input: { required: Record<string, unknown[]> }; output: string[]; output_node: boolean }>;
    expect(Object.keys(info)).toEqual(
      expect.arrayContaining(['AdForgeLoadProductImage', 'LoadImage', 'AdForgeBackground', 'AdForge3DText', 'AdForgeCompose', 'SaveImage', 'PreviewImage']),
    );
    expect(info.AdForgeLoadProductImage.input.required.image[0]).toEqual(ctx.inputFiles);
    expect(info.AdForge3DText.input.required.font_name[0]).toEqual(['(default)', ...ctx.fonts]);
    expect(info.AdForgeBackground.input.required.seed).toEqual(['INT', expect.objectContaining({ min: 0, max: 4294967295, control_after_generate: true })]);
    expect(info.SaveImage.output_node).toBe(true);
    expect(info.AdForgeCompose.output).toEqual(['IMAGE']);
  });
});

describe('text controls as optional widgets', () => {
  const withControls = (compose: Record<string, unknown>, text: Record<string, unknown> = {}) => {
    const g = graph();
    const t = g['3'] as { inputs: Record<string, unknown> };
    const c = g['4'] as { inputs: Record<string, unknown> };
    Object.assign(t.inputs, text);
    Object.assign(c.inputs, compose);
    return g;
  };

  it('typography, effects and a call to action become request fields', () => {
    const plan = translateGraph(
      withControls(
        { text_outline: '#ff0000', text_shadow: 0.5, sub_text: 'Shop now', sub_text_button: '#00aa00' },
        { letter_spacing: 0.2, text_align: 'left' },
      ),
      ctx,
    );
    expect(plan.request).toMatchObject({
      letter_spacing: 0.2,
      text_align: 'left',
      line_height: 1.16,
      text_effects: { fill: null, outline: '#ff0000', shadow: 0.5 },
      sub_text: { text: 'Shop now', background: '#00aa00' },
    });
  });

  it('left unset, they change nothing', () => {
    const plan = translateGraph(graph(), ctx);
    expect(plan.request.text_effects ?? null).toBeNull();
    expect(plan.request.sub_text ?? null).toBeNull();
  });

  it('a colour that is not #rrggbb is a node error on the compose node', () => {
    const body = rejected(withControls({ text_outline: 'red' }));
    expect(body.node_errors['4'].errors[0].details).toMatch(/text_outline/);
  });

  it('object_info lists them as optional inputs', () => {
    const info = objectInfo(ctx) as Record<string, { input: { optional?: Record<string, unknown> } }>;
    expect(Object.keys(info.AdForge3DText.input.optional ?? {})).toEqual(['letter_spacing', 'line_height', 'text_align']);
    expect(Object.keys(info.AdForgeCompose.input.optional ?? {})).toContain('sub_text');
  });
});
