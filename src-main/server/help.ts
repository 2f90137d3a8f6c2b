// GET /help and GET /help/parameters: guides generated from the zod schema that validates
// POST /generate, so types, defaults, ranges and descriptions can never drift from the code.
import { z } from 'zod';
import { GenerateRequestSchema, IMAGE_FIELDS } from '../core/params';
import { SUB_STEPS, STEP_IDS, JOB_STATUSES } from '../core/jobs';
import { LETTERING_PARAMETERS } from '../core/lettering-parameters';

type JsonSchema = {
  type?: string | string[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxLength?: number;
  properties?: Record<string, JsonSchema>;
};

export type FieldGroup = 'step_control' | 'step1_background' | 'step2_text' | 'step3_composition' | 'diffusion' | 'extensions';

/** What the schema cannot say: which step reads a field and when it is required. */
const FIELD_ROLE: Record<string, { group: FieldGroup; used_by_steps: number[]; required_when?: string }> = {
  start_step: { group: 'step_control', used_by_steps: [1, 2, 3] },
  stop_step: { group: 'step_control', used_by_steps: [1, 2, 3] },
  from_job_id: { group: 'step_control', used_by_steps: [2, 3], required_when: 'start_step >= 2 without step1_image (start_step 3 also without step2_image)' },
  product_image: { group: 'step1_background', used_by_steps: [1], required_when: 'never (start_step 1 without it makes a background-only image)' },
  bg_prompt: { group: 'step1_background', used_by_steps: [1] },
  bg_negative_prompt: { group: 'step1_background', used_by_steps: [1] },
  bg_composition_prompt: { group: 'step1_background', used_by_steps: [1] },
  bg_composition_negative_prompt: { group: 'step1_background', used_by_steps: [1] },
  strength: { group: 'step1_background', used_by_steps: [1] },
  product_scale: { group: 'step1_background', used_by_steps: [1] },
  step1_image: { group: 'step2_text', used_by_steps: [2, 3], required_when: 'start_step >= 2, unless from_job_id' },
  text_content: { group: 'step2_text', used_by_steps: [2, 3], required_when: 'start_step 2 (null or empty: final = step 1 image)' },
  text_model_prompt: { group: 'step2_text', used_by_steps: [2] },
  negative_prompt: { group: 'step2_text', used_by_steps: [2] },
  font_name: { group: 'step2_text', used_by_steps: [2] },
  letter_spacing: { group: 'step2_text', used_by_steps: [2] },
  line_height: { group: 'step2_text', used_by_steps: [2] },
  text_align: { group: 'step2_text', used_by_steps: [2] },
  step2_image: { group: 'step3_composition', used_by_steps: [3], required_when: 'start_step 3, unless from_job_id' },
  composition_mode: { group: 'step3_composition', used_by_steps: [3] },
  text_position: { group: 'step3_composition', used_by_steps: [3] },
  text_box: { group: 'step3_composition', used_by_steps: [3] },
  composition_prompt: { group: 'step3_composition', used_by_steps: [3] },
  composition_negative_prompt: { group: 'step3_composition', used_by_steps: [3] },
  composition_strength: { group: 'step3_composition', used_by_steps: [3] },
  text_effects: { group: 'step3_composition', used_by_steps: [3] },
  sub_text: { group: 'step3_composition', used_by_steps: [3] },
  guidance_scale: { group: 'diffusion', used_by_steps: [1, 2, 3] },
  num_inference_steps: { group: 'diffusion', used_by_steps: [1, 2, 3] },
  seed: { group: 'extensions', used_by_steps: [1, 2, 3] },
  aspect_ratio: { group: 'extensions', used_by_steps: [1] },
  long_edge: { group: 'extensions', used_by_steps: [1] },
};

export interface FieldDoc {
  name: string;
  type: string;
  nullable: boolean;
  default: unknown;
  range?: { min?: number; max?: number; exclusive_min?: number };
  max_length?: number;
  allowed_values?: unknown[];
  description: string;
  group: FieldGroup;
  used_by_steps: number[];
  required_when: string;
  extension: boolean;
  /** An object field's own fields (text_box, product_box, text_effects, sub_text). */
  fields?: SubFieldDoc[];
}

export interface SubFieldDoc {
  name: string;
  type: string;
  nullable: boolean;
  default: unknown;
  range?: { min?: number; max?: number; exclusive_min?: number };
  max_length?: number;
  allowed_values?: unknown[];
  description: string;
}

function rangeOf(core: JsonSchema): FieldDoc['range'] | undefined {
  const range: NonNullable<FieldDoc['range']> = {};
  if (core.minimum !== undefined) range.min = core.minimum;
  if (core.exclusiveMinimum !== undefined) range.exclusive_min = core.exclusiveMinimum;
  if (core.maximum !== undefined) range.max = core.maximum;
  return Object.keys(range).length ? range : undefined;
}

function subFields(core: JsonSchema): SubFieldDoc[] | undefined {
  if (!core.properties) return undefined;
  return Object.entries(core.properties).map(([name, s]) => {
    const t = describeType(s);
    const range = rangeOf(t.core);
    return {
      name,
      type: t.type === 'integer' ? 'integer' : t.type === 'number' ? 'float' : t.type,
      nullable: t.nullable,
      default: s.default ?? null,
      ...(range ? { range } : {}),
      ...(t.core.maxLength !== undefined ? { max_length: t.core.maxLength } : {}),
      ...(t.core.enum ? { allowed_values: t.core.enum } : {}),
      description: s.description ?? t.core.description ?? '',
    };
  });
}

function describeType(s: JsonSchema): { type: string; nullable: boolean; core: JsonSchema } {
  if (s.anyOf) {
    const nonNull = s.anyOf.filter((x) => x.type !== 'null');
    const inner = nonNull.length === 1 ? describeType(nonNull[0]) : { type: nonNull.map((x) => describeType(x).type).join(' | '), nullable: false, core: {} };
    return { type: inner.type, nullable: nonNull.length < s.anyOf.length || inner.nullable, core: inner.core };
  }
  if (Array.isArray(s.type)) {
    const t = s.type.filter((x) => x !== 'null');
    return { type: t.join(' | '), nullable: t.length < s.type.length, core: s };
  }
  if (s.enum) return { type: 'string (enum)', nullable: false, core: s };
  return { type: s.type ?? 'object', nullable: false, core: s };
}

function generateJsonSchema(): JsonSchema {
  return z.toJSONSchema(GenerateRequestSchema, { io: 'input' }) as JsonSchema;
}

/** One entry per POST /generate field, straight from the zod schema. */
export function fieldDocs(): FieldDoc[] {
  const props = generateJsonSchema().properties ?? {};
  return Object.entries(props).map(([name, s]) => {
    const { type, nullable, core } = describeType(s);
    const role = FIELD_ROLE[name] ?? { group: 'extensions' as const, used_by_steps: [1, 2, 3] };
    const range = rangeOf(core);
    const fields = subFields(core);
    const description = s.description ?? core.description ?? '';
    return {
      name,
      type: type === 'integer' ? 'integer' : type === 'number' ? 'float' : type,
      nullable,
      default: s.default ?? null,
      ...(range ? { range } : {}),
      ...(core.maxLength !== undefined ? { max_length: core.maxLength } : {}),
      ...(core.enum ? { allowed_values: core.enum } : {}),
      description,
      group: role.group,
      used_by_steps: role.used_by_steps,
      required_when: role.required_when ?? 'optional',
      extension: description.startsWith('Extension') || role.group === 'extensions',
      ...(fields ? { fields } : {}),
    };
  });
}

const EXAMPLE_PRODUCT = '<base64 of product.png>';

export function exampleRequests(): Record<string, { description: string; body: Record<string, unknown> }> {
  return {
    basic_full_pipeline: {
      description: 'Product photo to finished ad in one job (steps 1 to 3)',
      body: {
        start_step: 1,
        product_image: EXAMPLE_PRODUCT,
        bg_prompt: 'modern office workspace with natural light and plants',
        text_content: 'New Product',
        font_name: 'NanumSquare/NanumSquareB.ttf',
        text_model_prompt: 'silver metallic 3D text with shadow and reflection',
      },
    },
    advanced_customization: {
      description: 'Every look control set, reproducible with a fixed seed',
      body: {
        start_step: 1,
        product_image: EXAMPLE_PRODUCT,
        bg_prompt: 'luxury hotel lobby with warm lighting and marble floor',
        text_content: '여름 세일 50%',
        text_model_prompt: 'gold metallic 3D text with glossy bevel',
        composition_mode: 'blend',
        text_position: 'auto',
        composition_strength: 0.5,
        seed: 42,
        aspect_ratio: '4:5',
      },
    },
    retry_text_only: {
      description: 'Keep the background, change the headline: step 2 from a stored job (or pass step1_image instead of from_job_id)',
      body: {
        start_step: 2,
        from_job_id: '<job_id of an earlier job>',
        text_content: 'Different Text',
        text_model_prompt: 'chrome reflective text with mirror finish',
        font_name: 'NanumGothic/NanumGothicBold.ttf',
      },
    },
    retry_text_only_upload: {
      description: 'The nanoCocoa way: upload the step 1 image you kept from /status',
      body: { start_step: 2, step1_image: '<step1_result base64>', text_content: 'Different Text' },
    },
    recompose_only: {
      description: 'Same background and lettering, different placement (step 3 only)',
      body: { start_step: 3, step1_image: '<step1_result base64>', step2_image: '<step2_result base64>', composition_mode: 'behind', text_position: 'center' },
    },
    background_only_with_stop_step: {
      description: 'Only the scene with the product (step 1)',
      body: { start_step: 1, product_image: EXAMPLE_PRODUCT, bg_prompt: 'outdoor garden with flowers and sunlight', stop_step: 1 },
    },
  };
}

export function parametersGuide(): Record<string, unknown> {
  const fields = fieldDocs();
  const groups: Record<string, FieldDoc[]> = {};
  for (const f of fields) (groups[f.group] ??= []).push(f);
  return {
    title: 'POST /generate parameters',
    generated_from: 'the zod schema that validates requests (src-main/core/params.ts)',
    content_type: 'application/json',
    image_fields: {
      fields: [...IMAGE_FIELDS],
      format: 'base64 or data URL; PNG, JPEG, WebP, AVIF, TIFF or GIF, detected from the bytes; at most 40 megapixels; the whole body at most 64 MiB',
      note: 'images are never echoed in `parameters`; results come back as base64 in /status and as files under /files/{job_id}/',
    },
    start_step: {
      1: { runs: 'background, text, composition', needs: 'nothing (product_image optional: without it the scene is background only)' },
      2: { runs: 'text, composition', needs: 'step1_image or from_job_id; text_content' },
      3: { runs: 'composition', needs: 'step1_image and step2_image, or from_job_id of a job that has both' },
    },
    groups,
    fields,
    engines: ENGINE_PARAMETERS,
    example_requests: exampleRequests(),
  };
}

/**
 * Which engine uses which parameter, and what it means there (the seed's meaning where it has
 * one). An engine that ignores a parameter also says so in the job's engine_reports.
 */
export const ENGINE_PARAMETERS = {
  choose_with:
    'bg_engine: auto (default) | procedural | sdxl-turbo | flux-schnell | sd-turbo. auto = the first installed, fitting ADFORGE_VRAM_GB, in that order; GET /health lists them',
  background: {
    procedural: {
      what: 'embedded default: one of 16 painted looks chosen from keywords of bg_prompt (English and Korean); most of a free-form prompt is ignored, and engine_reports.background.understood lists the words it used',
      uses: ['bg_prompt (keywords)', 'bg_negative_prompt (keywords exclude looks)', 'seed', 'strength (harmonization amount at the product rim)'],
      ignores: ['guidance_scale', 'num_inference_steps', 'bg_composition_prompt', 'bg_composition_negative_prompt'],
    },
    'sdxl-turbo': {
      what: "SDXL-Turbo (ONNX), scenes generated from the whole prompt at ~512² with the ad's aspect, resized to the ad; Korean words go through a glossary (engine_reports.background.prompt_used shows the English prompt)",
      uses: [
        'bg_prompt',
        'bg_negative_prompt (only with guidance_scale > 1)',
        'num_inference_steps (Euler-ancestral steps; 1-4 recommended for Turbo)',
        'guidance_scale (classifier-free guidance; ≤ 1 = none, as Turbo was trained; > 1 doubles the UNet cost)',
        'seed',
        'strength (product-ring repaint: how much of the ring around the product the model repaints)',
        'bg_composition_prompt / bg_composition_negative_prompt (ring repaint prompt; default bg_prompt)',
      ],
      ignores: [],
    },
    'sd-turbo': { what: 'SD-Turbo (ONNX), 512², the smallest engine; parameters as sdxl-turbo', uses: ['as sdxl-turbo'], ignores: [] },
    'flux-schnell': {
      what: 'FLUX.1-schnell (ONNX; the FP8 transformer needs the TensorRT provider), 4 flow-matching steps',
      uses: ['bg_prompt', 'num_inference_steps (flow-matching Euler steps, 4 recommended)', 'seed', 'strength', 'bg_composition_prompt'],
      ignores: ['guidance_scale (schnell is guidance-distilled: no guidance input)', 'bg_negative_prompt (no negative conditioning)'],
    },
  },
  lettering: LETTERING_PARAMETERS,
  composition: {
    procedural: {
      uses: [
        'composition_mode',
        'text_position',
        'text_box',
        'composition_strength (blend tint)',
        'text_effects (fill or gradient, outline, drop shadow on the lettering layer)',
        'sub_text (second text layer: flat, in the headline font, on top in every mode)',
      ],
      ignores: ['composition_prompt', 'composition_negative_prompt'],
    },
  },
} as const;

export function helpGuide(baseUrl: string): Record<string, unknown> {
  const stepSeconds = Object.fromEntries(STEP_IDS.map((s) => [s, Math.round(SUB_STEPS[s].reduce((a, x) => a + x.seconds, 0) * 10) / 10]));
  return {
    server_info: { name: 'AdForge Studio (nanoCocoa-compatible API)', api: 'nanoCocoa AI Server REST API 2.0, field for field, plus documented extensions' },
    quick_start: [
      `GET ${baseUrl}/health  -> {"status": "healthy"} means the lane is free`,
      `GET ${baseUrl}/fonts   -> pick a font_name`,
      `POST ${baseUrl}/generate {"product_image": "<base64>", "bg_prompt": "...", "text_content": "..."} -> {"job_id", "status": "started"}`,
      `GET ${baseUrl}/status/{job_id} every 2-5 s until status is completed, failed or stopped`,
      'save final_result (base64 PNG), or GET /files/{job_id}/final.png for the bytes',
      `DELETE ${baseUrl}/jobs/{job_id} when you no longer need it (jobs are kept on disk across restarts)`,
    ],
    main_endpoints: {
      'POST /generate': 'start a job; 200 {job_id, status:"started"}; 400 bad field; 413 too large; 503 busy with Retry-After',
      'GET /status/{job_id}':
        'job_id, status, progress_percent, current_step, sub_step, message, elapsed_sec, eta_seconds, step_eta_seconds, system_metrics, parameters, step1_result, step2_result, final_result (+ error on failure). ?include_images=false skips the base64 (use step1_url/step2_url/final_url)',
      'GET /files/{job_id}/{name}': 'artifact bytes: input.png, cutout.png, mask.png, step1.png, step2.png, final.png, scene.json, params.json',
      'POST /stop/{job_id}': 'stop a pending or running job (takes effect within 2 s) -> {job_id, status}',
      'GET /jobs': 'total_jobs, active_jobs, completed_jobs, failed_jobs, jobs[] (?status=, ?search=, ?limit=, ?offset=)',
      'DELETE /jobs/{job_id}': 'remove a finished job and its files; 400 while it runs',
      'GET /fonts': 'font names for font_name (bundled fonts/ plus the user font folder)',
      'GET /health': 'healthy | busy, job counts, system_metrics, engines, execution_provider',
      'GET /help/parameters': 'every POST /generate field with type, default, range and which step uses it',
      'GET /docs': 'Swagger UI; GET /openapi.json: OpenAPI 3 document',
    },
    step_system: {
      steps: STEP_IDS.map((id, i) => ({ step: i + 1, id, sub_steps: SUB_STEPS[id].map((s) => ({ id: s.id, label: s.label })) })),
      typical_seconds_cpu: stepSeconds,
      statuses: JOB_STATUSES,
      progress: 'progress_percent is weighted by sub-step durations learned from earlier runs; eta_seconds and step_eta_seconds count down',
    },
    workflow_examples: {
      full_pipeline: {
        steps: ['POST /generate with start_step 1', 'poll GET /status/{id}', 'save final_result'],
        request: exampleRequests().basic_full_pipeline.body,
      },
      retry_text_only: {
        steps: [
          'keep the job_id (or step1_result) of a job whose background you like',
          'POST /generate with start_step 2 and from_job_id (or step1_image)',
          'poll and save final_result',
        ],
        request: exampleRequests().retry_text_only.body,
        alternative: exampleRequests().retry_text_only_upload.body,
      },
      recompose_only: {
        steps: ['POST /generate with start_step 3 and from_job_id, or step1_image + step2_image', 'poll and save final_result'],
        request: exampleRequests().recompose_only.body,
      },
    },
    error_handling: {
      every_error: 'JSON {"detail": "...", "field": "..."}: detail says what is wrong and names the field',
      400: 'invalid field (type, range, enum, unknown font_name, image that cannot be decoded, missing step1_image/step2_image/from_job_id, malformed JSON); fix the named field',
      401: 'API key required (server bound beyond loopback): X-API-Key, Authorization: Bearer, or ?token=',
      403: 'Host or Origin not allowed (DNS rebinding / cross-site protection)',
      404: 'unknown job_id, file or route',
      413: 'image over 40 megapixels or request body over 64 MiB',
      503: 'another job holds the lane: wait Retry-After seconds (also retry_after in the body) and retry',
      status_failed:
        'GET /status shows status "failed" with message and error; "interrupted" means the server stopped during the job (finished step images are kept)',
    },
    best_practices: [
      'Poll /status every 2-5 s; add ?include_images=false while running and fetch the PNGs from the *_url fields once completed',
      'Check /health first: "busy" means a POST /generate would get 503',
      'Reuse step results with from_job_id instead of uploading step1_image/step2_image again',
      'Set seed to reproduce an image exactly',
      'Delete jobs you no longer need; everything else survives a restart',
    ],
    links: { parameters: '/help/parameters', docs: '/docs', openapi: '/openapi.json' },
  };
}
