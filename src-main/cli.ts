#!/usr/bin/env node
// adforge serve | generate | models. `serve` runs the HTTP server over StudioService; `generate`
// runs one job in-process (no HTTP) with a live progress line; `models` lists, installs,
// imports, verifies and removes model weights (src-main/cli/models-command.ts).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError } from './core/errors';
import type { JobEvent, JobRecord } from './core/service';
import { ConfigError, resolveConfig, type AppConfig, type ConfigFlags } from './config';
import { findAppRoot } from './engines/model-paths';
import { parseGenerateRequest } from './service/submit';
import { createStudioService } from './service/studio-service';
import { startRuntime, type RunningRuntime } from './runtime/runtime';
import { progressLine } from './cli/progress';
import { parseModelsArgs, runModelsCommand } from './cli/models-command';

const USAGE = `Usage:
  adforge serve [--port P] [--host H] [--data-dir D] [--api-key K] [--models-dir M] [--comfy-port P (0 = off)]
  adforge generate --product p.png --bg-prompt "..." --text "..." -o out.png
                   [--font F] [--style "..."] [--position top|center|bottom|auto]
                   [--mode overlay|blend|behind] [--seed N] [--aspect 1:1] [--data-dir D]
                   [--bg-engine auto|procedural|sdxl-turbo|flux-schnell|sd-turbo] [--steps N] [--guidance G] [--strength S]
                   [--letter-spacing EM] [--line-height X] [--align center|left|right]
                   [--fill #rrggbb] [--outline #rrggbb] [--shadow 0..1] [--cta "Shop now"] [--cta-button #rrggbb]
  adforge models [list | install <id> | import <id> <folder> | verify [id] | remove <id>]   (adforge models --help)
Environment: ADFORGE_PORT, ADFORGE_COMFY_PORT, ADFORGE_HOST, ADFORGE_DATA_DIR, ADFORGE_API_KEY, ADFORGE_MODELS_DIR, ADFORGE_PROVIDERS,
  ADFORGE_BODY_LIMIT (bytes, default 64 MiB), ADFORGE_MAX_PIXELS (default 40000000),
  ADFORGE_ALLOWED_HOSTS (extra Host names accepted, comma-separated)`;

const COMMON = {
  'data-dir': { type: 'string' },
  'models-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function workerScript(): string {
  // dist/worker.js sits next to dist/cli.js (scripts/build-server.mjs builds both).
  return fileURLToPath(new URL('./worker.js', import.meta.url));
}

function loadConfig(flags: ConfigFlags): AppConfig {
  return resolveConfig({ flags, env: process.env, cwd: process.cwd(), appRoot: findAppRoot(), workerScript: workerScript() });
}

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { ...COMMON, port: { type: 'string' }, host: { type: 'string' }, 'api-key': { type: 'string' }, 'comfy-port': { type: 'string' } },
    strict: true,
  });
  if (values.help) return void console.log(USAGE);
  const config = loadConfig(values);
  let runtime: RunningRuntime | null = null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) process.exit(1); // second signal: give up waiting
    closing = true;
    process.stderr.write(`AdForge: ${signal}, shutting down\n`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    try {
      await runtime?.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  runtime = await startRuntime(config);
  const { url, comfyUrl, comfyError } = runtime.servers;
  console.log(`AdForge listening on ${url}`);
  console.log(`  studio: ${url}/studio/   API docs: ${url}/docs`);
  if (comfyUrl) console.log(`  ComfyUI-compatible API on ${comfyUrl} (also under /comfy/)`);
  // The main API must not die because another ComfyUI already holds 8188.
  if (comfyError)
    console.error(
      `AdForge: ComfyUI-compatible port ${config.comfyPort} not started (${comfyError}); it stays available under /comfy/. Use --comfy-port to pick another.`,
    );
}

async function generate(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...COMMON,
      product: { type: 'string' },
      'bg-prompt': { type: 'string' },
      text: { type: 'string' },
      output: { type: 'string', short: 'o' },
      font: { type: 'string' },
      style: { type: 'string' },
      position: { type: 'string' },
      mode: { type: 'string' },
      seed: { type: 'string' },
      aspect: { type: 'string' },
      'bg-engine': { type: 'string' },
      steps: { type: 'string' },
      guidance: { type: 'string' },
      strength: { type: 'string' },
      'letter-spacing': { type: 'string' },
      'line-height': { type: 'string' },
      align: { type: 'string' },
      fill: { type: 'string' },
      outline: { type: 'string' },
      shadow: { type: 'string' },
      cta: { type: 'string' },
      'cta-button': { type: 'string' },
    },
    strict: true,
  });
  if (values.help) return void console.log(USAGE);
  if (!values.output) throw new ConfigError('generate: -o out.png is required');
  const body: Record<string, unknown> = { start_step: 1 };
  if (values.product) body.product_image = (await fs.readFile(values.product)).toString('base64');
  if (values['bg-prompt'] !== undefined) body.bg_prompt = values['bg-prompt'];
  if (values.text !== undefined) body.text_content = values.text;
  if (values.font !== undefined) body.font_name = values.font;
  if (values.style !== undefined) body.text_model_prompt = values.style;
  if (values.position !== undefined) body.text_position = values.position;
  if (values.mode !== undefined) body.composition_mode = values.mode;
  if (values.seed !== undefined) body.seed = Number(values.seed);
  if (values.aspect !== undefined) body.aspect_ratio = values.aspect;
  if (values['bg-engine'] !== undefined) body.bg_engine = values['bg-engine'];
  if (values.steps !== undefined) body.num_inference_steps = Number(values.steps);
  if (values.guidance !== undefined) body.guidance_scale = Number(values.guidance);
  if (values.strength !== undefined) body.strength = Number(values.strength);
  if (values['letter-spacing'] !== undefined) body.letter_spacing = Number(values['letter-spacing']);
  if (values['line-height'] !== undefined) body.line_height = Number(values['line-height']);
  if (values.align !== undefined) body.text_align = values.align;
  if (values.fill !== undefined || values.outline !== undefined || values.shadow !== undefined)
    body.text_effects = { fill: values.fill ?? null, outline: values.outline ?? null, shadow: values.shadow === undefined ? 0 : Number(values.shadow) };
  if (values.cta !== undefined) body.sub_text = { text: values.cta, background: values['cta-button'] ?? null };
  const request = parseGenerateRequest(body);

  // generate never listens, so only the data/model locations matter here.
  const config = loadConfig({ 'data-dir': values['data-dir'], 'models-dir': values['models-dir'], host: '127.0.0.1', port: '0' });
  const service = await createStudioService(config);
  const state: { job?: JobRecord } = {};
  const tty = process.stderr.isTTY === true;
  const draw = () => {
    const current = state.job && service.get(state.job.job_id);
    if (current) process.stderr.write(`\r${progressLine(current)}${tty ? '' : '\n'}`);
  };
  let resolveFinished: (job: JobRecord) => void = () => {};
  const finished = new Promise<JobRecord>((resolve) => {
    resolveFinished = resolve;
    service.onEvent((event: JobEvent) => {
      if (event.type === 'finished' && state.job && event.job.job_id === state.job.job_id) resolve(event.job);
    });
  });
  process.on('SIGINT', () => {
    if (state.job) void service.stop(state.job.job_id);
  });
  const submitted = await service.submit(request, { queue: true, client: 'cli' });
  state.job = submitted;
  const early = service.get(submitted.job_id);
  if (early && ['completed', 'failed', 'stopped'].includes(early.status)) resolveFinished(early);
  // A timer (not only events) so the ETA visibly counts down between progress reports. In a log
  // (no TTY) a line is also written at every new sub-step, so each stage shows up once.
  const timer = setInterval(draw, tty ? 250 : 2000);
  let lastSub: string | null = null;
  service.onEvent((event: JobEvent) => {
    if (tty || event.type !== 'progress' || event.job.job_id !== submitted.job_id) return;
    const sub = event.job.sub_step;
    if (sub !== lastSub) {
      lastSub = sub;
      draw();
    }
  });
  const done = await finished;
  clearInterval(timer);
  draw();
  process.stderr.write('\n');
  try {
    if (done.status !== 'completed') throw new Error(`job ${done.job_id} ${done.status}: ${done.error ?? done.message}`);
    const final = service.artifactPath(done.job_id, 'final');
    if (!final) throw new Error(`job ${done.job_id} completed without final.png`);
    const out = path.resolve(values.output);
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.copyFile(final, out);
    console.log(`${out} (job ${done.job_id}, ${done.elapsed_sec.toFixed(1)} s, engines ${JSON.stringify(done.engines)})`);
    // Say what the scene engine made of the prompt: the honest part of "which engine made this".
    const bg = done.engine_reports.background;
    if (bg?.prompt_used) console.log(`scene prompt used: ${bg.prompt_used}`);
    if (bg?.understood?.length) console.log(`scene prompt words understood: ${bg.understood.join(', ')}`);
    if (bg?.note) console.log(`note: ${bg.note}`);
  } finally {
    await service.close();
  }
}

async function models(argv: string[]): Promise<void> {
  const args = parseModelsArgs(argv);
  // models never listens, so only the data/model locations (and the HF token) matter here.
  const config = loadConfig({ 'data-dir': args.dataDir, 'models-dir': args.modelsDir, host: '127.0.0.1', port: '0' });
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.exitCode = await runModelsCommand(args, {
    modelsDir: config.modelsDir,
    resourcesDir: config.resourcesDir,
    dataDir: config.dataDir,
    hfToken: config.hfToken,
    hubEndpoint: config.hubUrl,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: stop.signal,
    listFooter: async () => {
      const ort = await import('onnxruntime-node');
      return [
        'background  procedural-backdrop   built in',
        'text        procedural-lettering  built in',
        'compose     procedural            built in',
        '',
        `onnxruntime-node backends: ${ort
          .listSupportedBackends()
          .map((b) => `${b.name}${b.bundled ? '' : ' (not bundled)'}`)
          .join(', ')}`,
      ];
    },
  });
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'generate':
      return generate(rest);
    case 'models':
      return models(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      throw new ConfigError(`unknown command "${command}"\n${USAGE}`);
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof AppError) console.error(`adforge: ${err.message}`);
  else if (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) console.error(`adforge: ${err.message}\n${USAGE}`);
  else if (err instanceof Error && 'code' in err && err.code === 'EADDRINUSE') console.error(`adforge: port already in use: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
