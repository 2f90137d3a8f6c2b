// /help/parameters and /openapi.json are generated from the zod schema: every request field is
// documented with its real default and range, and the OpenAPI request body is the same schema.
import { describe, expect, it } from 'vitest';
import { GenerateRequestSchema } from '../../src-main/core/params';
import { fieldDocs, helpGuide, parametersGuide } from '../../src-main/server/help';
import { openApiDocument } from '../../src-main/server/openapi';
import { parseGenerateRequest } from '../../src-main/service/submit';

const fieldNames = Object.keys(GenerateRequestSchema.shape);

describe('parameter reference', () => {
  it('documents every schema field with type, default, range or enum, and the steps that use it', () => {
    const docs = fieldDocs();
    expect(docs.map((d) => d.name).sort()).toEqual([...fieldNames].sort());
    const by = Object.fromEntries(docs.map((d) => [d.name, d]));
    expect(by.guidance_scale).toMatchObject({ type: 'float', default: 3.5, range: { min: 0, max: 20 }, used_by_steps: [1, 2, 3] });
    expect(by.num_inference_steps).toMatchObject({ type: 'integer', default: 4, range: { min: 1, max: 50 } });
    expect(by.composition_mode).toMatchObject({ default: 'overlay', allowed_values: ['overlay', 'blend', 'behind'], used_by_steps: [3] });
    expect(by.text_position.allowed_values).toEqual(['top', 'center', 'bottom', 'auto']);
    expect(by.text_content).toMatchObject({ nullable: true, max_length: 300 });
    expect(by.step1_image.required_when).toMatch(/start_step >= 2, unless from_job_id/);
    expect(by.from_job_id.extension).toBe(true);
    for (const d of docs) expect(d.description.length, d.name).toBeGreaterThan(5);
  });

  it('object fields list their own fields: the text controls are documented to the colour', () => {
    const by = Object.fromEntries(fieldDocs().map((d) => [d.name, d]));
    expect(by.text_effects).toMatchObject({ nullable: true, used_by_steps: [3] });
    const fx = Object.fromEntries((by.text_effects.fields ?? []).map((f) => [f.name, f]));
    expect(Object.keys(fx)).toEqual(['fill', 'fill_to', 'outline', 'outline_width', 'shadow']);
    expect(fx.outline_width).toMatchObject({ type: 'float', default: 0.02, range: { min: 0.005, max: 0.05 } });
    const sub = Object.fromEntries((by.sub_text.fields ?? []).map((f) => [f.name, f]));
    expect(sub.position.allowed_values).toEqual(['below_headline', 'top', 'bottom']);
    expect(sub.text.max_length).toBe(120);
    expect(by.sub_text.description).toMatch(/needs text_content/);
    expect(by.text_align).toMatchObject({ allowed_values: ['center', 'left', 'right'], used_by_steps: [2] });
    expect(by.text_box.fields?.map((f) => f.name)).toEqual(['x', 'y', 'width', 'height', 'rotation']);
  });

  it('every example request in the guides passes the validator', () => {
    const guide = parametersGuide() as { example_requests: Record<string, { body: Record<string, unknown> }> };
    expect(Object.keys(guide.example_requests)).toEqual(expect.arrayContaining(['basic_full_pipeline', 'retry_text_only', 'recompose_only']));
    for (const [name, ex] of Object.entries(guide.example_requests)) expect(() => parseGenerateRequest(ex.body), name).not.toThrow();
  });

  it('the /help guide covers workflows, errors and best practices', () => {
    const h = helpGuide('http://127.0.0.1:8000') as Record<string, Record<string, unknown>>;
    expect(Object.keys(h.workflow_examples)).toEqual(['full_pipeline', 'retry_text_only', 'recompose_only']);
    expect(Object.keys(h.error_handling)).toEqual(expect.arrayContaining(['400', '404', '413', '503', 'status_failed']));
    expect(Array.isArray(h.best_practices)).toBe(true);
  });
});

describe('OpenAPI document', () => {
  it('has every nanoCocoa path and the request body schema from zod', () => {
    const doc = openApiDocument() as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, { default?: unknown }> } }> } }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/generate', '/status/{job_id}', '/stop/{job_id}', '/jobs', '/jobs/{job_id}', '/fonts', '/health', '/help', '/help/parameters']),
    );
    const props = doc.paths['/generate'].post.requestBody!.content['application/json'].schema.properties;
    expect(Object.keys(props).sort()).toEqual([...fieldNames].sort());
    expect(props.strength.default).toBe(0.6);
    expect(doc.paths['/jobs/{job_id}'].delete).toBeDefined();
  });
});
