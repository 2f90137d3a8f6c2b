// The OpenAPI 3.1 document for /docs and /openapi.json. Request bodies come from the zod schema
// that validates them (core/params.ts); responses are described here in zod too, so one tool
// (z.toJSONSchema) produces every schema in the document.
import { z } from 'zod';
import { interopOpenApiPaths } from './families/bridge-openapi';
import { JOB_STATUSES, STEP_IDS, ARTIFACTS } from '../core/jobs';
import { GenerateRequestSchema } from '../core/params';
import { exampleRequests } from './help';

const Detail = z.object({ detail: z.string().describe('What went wrong, naming the field'), field: z.string().optional().describe('Offending field path') });
const Busy = z.object({ status: z.literal('busy'), message: z.string(), retry_after: z.number().int(), detail: z.string() });
const Gpu = z.object({
  index: z.number(),
  name: z.string(),
  gpu_util: z.number(),
  vram_used_gb: z.number(),
  vram_total_gb: z.number(),
  vram_percent: z.number(),
});
const SystemMetrics = z.object({ cpu_percent: z.number(), ram_used_gb: z.number(), ram_total_gb: z.number(), ram_percent: z.number(), gpu_info: z.array(Gpu) });
const Status = z.enum(JOB_STATUSES);
const Step = z.enum(STEP_IDS).nullable();
const base64Png = (d: string) => z.string().nullable().describe(`${d}: base64 PNG, null until produced (or with ?include_images=false)`);

const StatusResponse = z.object({
  job_id: z.string(),
  status: Status,
  progress_percent: z.number().int().min(0).max(100),
  current_step: Step,
  sub_step: z.string().nullable(),
  message: z.string(),
  elapsed_sec: z.number(),
  eta_seconds: z.number().nullable().describe('Remaining seconds for the job (counts down); null when not running'),
  step_eta_seconds: z.number().nullable().describe('Remaining seconds for the current step'),
  system_metrics: SystemMetrics,
  parameters: z.record(z.string(), z.unknown()).describe('The request as validated, without images'),
  step1_result: base64Png('Step 1 image (scene with product)'),
  step2_result: base64Png('Step 2 image (RGBA text layer)'),
  final_result: base64Png('Final ad'),
  error: z.string().optional().describe('Present when status is failed'),
  step1_url: z.string().nullable().describe('Extension: GET this for the step 1 PNG bytes'),
  step2_url: z.string().nullable().describe('Extension'),
  final_url: z.string().nullable().describe('Extension'),
  engines: z.record(z.string(), z.string()).describe('Extension: engine that served each stage'),
  execution_provider: z.string().nullable().describe('Extension: ONNX execution provider in use'),
  reused_steps: z.array(z.enum(STEP_IDS)).describe('Extension: steps taken from uploads or from_job_id'),
  start_step: z.number().int(),
  stop_step: z.number().int(),
  created_at: z.number(),
  start_time: z.number().nullable(),
  finished_at: z.number().nullable(),
  client: z.string(),
  timings: z.record(z.string(), z.number()),
});

const JobsResponse = z.object({
  total_jobs: z.number().int(),
  active_jobs: z.number().int(),
  completed_jobs: z.number().int(),
  failed_jobs: z.number().int(),
  stopped_jobs: z.number().int().describe('Extension'),
  pending_jobs: z.number().int().describe('Extension'),
  jobs: z.array(
    z.object({
      job_id: z.string(),
      status: Status,
      progress_percent: z.number().int(),
      current_step: Step,
      message: z.string(),
      start_time: z.number().nullable(),
      created_at: z.number(),
    }),
  ),
});

const HealthResponse = z.object({
  status: z.enum(['healthy', 'busy']),
  server_time: z.number(),
  total_jobs: z.number().int(),
  active_jobs: z.number().int(),
  system_metrics: SystemMetrics,
  queued_jobs: z.number().int().describe('Extension'),
  engines: z.record(z.string(), z.string()).describe('Extension'),
  execution_provider: z.string().nullable().describe('Extension'),
  version: z.string().describe('Extension'),
});

type Json = Record<string, unknown>;
const schema = (s: z.ZodType, io: 'input' | 'output' = 'output'): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
  return rest;
};
const json = (s: z.ZodType, description: string, io: 'input' | 'output' = 'output') => ({
  description,
  content: { 'application/json': { schema: schema(s, io) } },
});
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), json(Detail, ERROR_TEXT[c] ?? 'Error')]));
const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request; detail names the field',
  401: 'API key missing or wrong',
  403: 'Host or Origin not allowed',
  404: 'Job not found',
  413: 'Image over 40 megapixels or body over the limit',
  415: 'Not JSON',
};
const jobIdParam = [{ name: 'job_id', in: 'path', required: true, schema: { type: 'string' }, description: 'Job ID (UUID)' }];

export function openApiDocument(): Json {
  const examples = Object.fromEntries(Object.entries(exampleRequests()).map(([k, v]) => [k, { summary: v.description, value: v.body }]));
  return {
    openapi: '3.1.0',
    info: {
      title: 'AdForge Studio — nanoCocoa-compatible API',
      version: '2.0.0',
      description:
        'Product photo + background prompt + headline -> finished ad. Field-for-field compatible with the nanoCocoa AI Server REST API; extensions are marked. Guides: GET /help, GET /help/parameters.',
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Required only when the server was started with an API key' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{}, { apiKey: [] }, { bearer: [] }],
    paths: {
      ...interopOpenApiPaths(),
      '/generate': {
        post: {
          tags: ['Generation'],
          summary: 'Start a generation job',
          requestBody: { required: true, content: { 'application/json': { schema: schema(GenerateRequestSchema, 'input'), examples } } },
          responses: {
            200: json(z.object({ job_id: z.string(), status: z.literal('started') }), 'Job started'),
            503: { ...json(Busy, 'Another job holds the lane'), headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } } },
            ...errors(400, 401, 403, 404, 413, 415),
          },
        },
      },
      '/status/{job_id}': {
        get: {
          tags: ['Generation'],
          summary: 'Job progress and results',
          parameters: [
            ...jobIdParam,
            {
              name: 'include_images',
              in: 'query',
              required: false,
              schema: { type: 'boolean', default: true },
              description: 'Extension: false skips the base64 results',
            },
          ],
          responses: { 200: json(StatusResponse, 'Job state'), ...errors(404) },
        },
      },
      '/files/{job_id}/{name}': {
        get: {
          tags: ['Generation'],
          summary: 'Extension: an artifact of a job as bytes',
          parameters: [...jobIdParam, { name: 'name', in: 'path', required: true, schema: { type: 'string', enum: Object.values(ARTIFACTS) } }],
          responses: { 200: { description: 'File bytes', content: { 'image/png': {}, 'application/json': {} } }, ...errors(404) },
        },
      },
      '/stop/{job_id}': {
        post: {
          tags: ['Generation'],
          summary: 'Stop a job',
          parameters: jobIdParam,
          responses: { 200: json(z.object({ job_id: z.string(), status: Status }), 'State after the stop'), ...errors(404) },
        },
      },
      '/jobs': {
        get: {
          tags: ['Generation'],
          summary: 'All jobs with counts',
          parameters: [
            { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: [...JOB_STATUSES] }, description: 'Extension: filter' },
            { name: 'search', in: 'query', required: false, schema: { type: 'string' }, description: 'Extension: text/prompt search' },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer' }, description: 'Extension' },
            { name: 'offset', in: 'query', required: false, schema: { type: 'integer' }, description: 'Extension' },
          ],
          responses: { 200: json(JobsResponse, 'Jobs') },
        },
      },
      '/jobs/{job_id}': {
        delete: {
          tags: ['Generation'],
          summary: 'Delete a finished job and its files',
          parameters: jobIdParam,
          responses: { 200: json(z.object({ job_id: z.string(), status: z.literal('deleted') }), 'Deleted'), ...errors(400, 404) },
        },
      },
      '/fonts': {
        get: { tags: ['Resources'], summary: 'Font names for font_name', responses: { 200: json(z.object({ fonts: z.array(z.string()) }), 'Fonts') } },
      },
      '/health': { get: { tags: ['Resources'], summary: 'Server state', responses: { 200: json(HealthResponse, 'Health') } } },
      '/help': { get: { tags: ['Help'], summary: 'Usage guide', responses: { 200: { description: 'Guide (JSON)' } } } },
      '/help/parameters': {
        get: { tags: ['Help'], summary: 'Parameter reference generated from the schema', responses: { 200: { description: 'Reference (JSON)' } } },
      },
    },
  };
}
