// OpenAPI path items for the interop families (ComfyUI at /comfy, bridge at /bridge, AdGen at
// /adgen), merged into the main document by openapi.ts. Where the seeds contradict themselves the
// chosen contract is written here, in the description clients read.
type Json = Record<string, unknown>;

const op = (tag: string, summary: string, description?: string, extra: Json = {}): Json => ({
  tags: [tag],
  summary,
  ...(description ? { description } : {}),
  responses: { 200: { description: 'OK' } },
  ...extra,
});
const q = (name: string, required: boolean, description: string, type = 'string'): Json => ({ name, in: 'query', required, schema: { type }, description });
const p = (name: string): Json => ({ name, in: 'path', required: true, schema: { type: 'string' } });

export function interopOpenApiPaths(): Record<string, Json> {
  const C = 'ComfyUI-compatible (/comfy, and / + /api on port 8188)';
  const B = 'ComfyUI bridge (/bridge)';
  const A = 'AdGen runs (/adgen)';
  return {
    '/comfy/prompt': {
      get: op(C, 'Queue size', '{"exec_info":{"queue_remaining":N}}: jobs of every family still ahead in the one lane.'),
      post: op(
        C,
        'Queue an API-format graph',
        'Body parsed as JSON whatever its Content-Type. Node classes: GET /comfy/object_info (AdForgeLoadProductImage / LoadImage -> AdForgeBackground -> AdForge3DText -> AdForgeCompose -> SaveImage | PreviewImage | SaveImageWebsocket). The graph becomes ONE AdForge job, queued (never 503). Errors: 400 {"error":{type,message,details,extra_info},"node_errors":{...}} as ComfyUI.',
      ),
    },
    '/comfy/queue': { get: op(C, 'Running and pending prompts'), post: op(C, 'Clear or delete pending prompts ({"clear":true} / {"delete":[ids]})') },
    '/comfy/history': {
      get: op(C, 'History (max_items alone: the last N; offset indexes insertion order)', undefined, {
        parameters: [q('max_items', false, 'Items', 'integer'), q('offset', false, 'Start index', 'integer')],
      }),
      post: op(C, 'Clear or delete history entries'),
    },
    '/comfy/history/{prompt_id}': { get: op(C, 'One history entry, {} when unknown or unfinished', undefined, { parameters: [p('prompt_id')] }) },
    '/comfy/view': {
      get: op(
        C,
        'An output, input or temp file',
        'filename (" [input]" annotations honoured), subfolder, type=output|input|temp, preview=jpeg;85|webp;90, channel=rgba|rgb|a. ".." or absolute names: 400; subfolders escaping the folder: 403.',
      ),
    },
    '/comfy/upload/image': {
      post: op(
        C,
        'Upload an image (multipart: image, type, subfolder, overwrite)',
        'Returns {"name","subfolder","type"}; same bytes reuse the name, different bytes get "name (1).png". Names with "/", "\\\\" or "..": 400; non-images: 400; over the upload limit: 413.',
      ),
    },
    '/comfy/upload/mask': { post: op(C, 'Upload a mask onto an image (multipart: image, original_ref)') },
    '/comfy/object_info': { get: op(C, 'Node classes in ComfyUI NodeInfo format') },
    '/comfy/object_info/{class}': { get: op(C, 'One node class, {} when unknown', undefined, { parameters: [p('class')] }) },
    '/comfy/interrupt': { post: op(C, 'Stop the running prompt (optional {"prompt_id"})') },
    '/comfy/free': { post: op(C, 'Accepted; models stay resident by design') },
    '/comfy/system_stats': { get: op(C, 'System and devices') },
    '/comfy/features': { get: op(C, 'Server features (supports_preview_metadata, max_upload_size)') },
    '/comfy/ws': {
      get: op(
        C,
        'WebSocket ?clientId=: status, execution_start, execution_cached, executing, progress, progress_state, executed, execution_success|error|interrupted, binary previews ([u32 1][u32 1=JPEG|2=PNG][bytes])',
      ),
    },
    '/comfy/api/jobs': { get: op(C, 'Comfy Cloud / ComfyUI 0.38 job list') },
    '/comfy/api/jobs/{id}': { get: op(C, 'Job detail', undefined, { parameters: [p('id')] }) },
    '/comfy/api/job/{id}/status': { get: op(C, 'Comfy Cloud status: pending|in_progress|completed|failed|cancelled', undefined, { parameters: [p('id')] }) },

    '/bridge/ws': {
      get: op(
        B,
        'WebSocket ?clientId=: {"status","details"} messages',
        'status: connected (on open), listening (keep-alive every second while idle), progress ("12.50%"), closed ("Execution is done", then the server closes the socket), error (then closes). Closing the socket stops that client\'s active job.',
      ),
    },
    '/bridge/workflow-list': {
      get: op(
        B,
        'Named workflows [{alias, description, inputs}]',
        'Built-ins: adforge-ad, adforge-background; an admin adds <data-dir>/bridge/workflows/*.json (API-format graphs whose nodes mark inputs with _meta.apiinput).',
      ),
    },
    '/bridge/workflow-info': {
      get: op(B, 'Declared inputs of a workflow: {"6/text": {type, title, class, default}}', undefined, {
        parameters: [q('workflow', true, 'Workflow alias')],
      }),
    },
    '/bridge/upload': {
      post: op(
        B,
        'Upload images (multipart/form-data, one or more file parts, any field name)',
        'Chosen contract (the seed\'s upload section repeats workflow-info): each file part is checked to be an image, stored under a new unique name, and the response maps each original file name to the stored name, e.g. {"photo.png": "bridge_server_comfyui_3f2a9c1b5d7e0a44.png"}. Pass the stored name as the value of an image input (e.g. "10/image") to generate-based-workflow. Names with "/", "\\\\" or "..": 400; non-images: 400; over the upload limit: 413.',
        { parameters: [q('clientId', false, 'Client id')] },
      ),
    },
    '/bridge/generate-based-workflow': {
      post: op(
        B,
        'Run a workflow: {"workflow": alias, "<node>/<input>": value}',
        'Values must have the declared type (int refuses 1.5 and "1"); missing inputs use the default; undeclared keys: 400. Returns {"detail":"queued / N","prompt_id"}.',
        { parameters: [q('clientId', true, 'Client id')] },
      ),
    },
    '/bridge/history': {
      get: op(B, 'Generation history, newest first: {history, total_count, page, page_size}', undefined, {
        parameters: [q('limit', false, '1-100, default 10', 'integer'), q('offset', false, 'Default 0', 'integer'), q('clientId', false, 'Only this client')],
      }),
    },
    '/bridge/result/{id}': { get: op(B, 'The finished image of a bridge job (history result_url)', undefined, { parameters: [p('id')] }) },
    '/bridge/execution-info': {
      get: op(B, 'Latest {status, details} for a client (REST polling)', undefined, { parameters: [q('clientId', true, 'Client id')] }),
    },
    '/bridge/generation-count': { get: op(B, 'Number of generations started through the bridge') },
    '/bridge/free': { post: op(B, 'Accepted; models stay resident by design') },
    '/bridge/interrupt': { post: op(B, "Stop the client's active jobs", undefined, { parameters: [q('clientId', true, 'Client id')] }) },

    '/adgen/health': { get: op(A, '{"ok": true}') },
    '/adgen/health/detailed': { get: op(A, 'Storage, database, engines, GPU and queue; always 200 with ok true/false') },
    '/adgen/generate': {
      post: op(
        A,
        'Start a run: {prompt, negative_prompt?, seed?, logo_image? (base64, used as the product photo), mood_image? (accepted, unused)} plus any AdForge request field (text_content, product_image, ...)',
        'Queued on the shared lane. 422 {"detail":[{type,loc,msg}]} for invalid fields.',
      ),
    },
    '/adgen/runs': { get: op(A, 'Runs, newest first') },
    '/adgen/runs/{id}': {
      get: op(A, 'Run meta with artifact URLs', undefined, { parameters: [p('id')] }),
      delete: op(A, 'Delete a run (204); an active run is stopped first', undefined, { parameters: [p('id')] }),
    },
    '/adgen/runs/{id}/files/{name}': { get: op(A, 'An artifact of a run', undefined, { parameters: [p('id'), p('name')] }) },
    '/adgen/runs/{id}/cancel': { post: op(A, 'Stop the run (really stops the pipeline)', undefined, { parameters: [p('id')] }) },
    '/adgen/finalize/{id}': { post: op(A, 'Wait (up to 180 s) for the run, build its ZIP, return the meta', undefined, { parameters: [p('id')] }) },
    '/adgen/download/{id}': { get: op(A, 'The run ZIP (meta.json + images)', undefined, { parameters: [p('id')] }) },
  };
}
