// The pipeline worker process (started by the job lane's WorkerSupervisor). It builds the engine
// set once ('init') and keeps it resident, runs one job at a time ('run'), aborts it cooperatively
// ('abort'), answers placement previews ('preview') outside the job chain, releases the resident
// diffusion engine after the job in flight ('free', for POST /free), and relays everything
// the pipeline reports as FromWorker messages. 'shutdown' (or SIGTERM) exits gracefully.
//
// Every artifact it writes is reported with its SHA-256 ('digests', before the step-result or the
// job's end), so the store can tell later whether a file on disk is still the one written.
//
// Test hook (the supervisor passes its faults.testFault, from config.testFault, with each job):
//   'crash' -> the worker calls process.exit(70) right after the job's first progress report;
//   'hang'  -> the worker blocks its thread after the first progress report and ignores abort,
//              so only killing the process ends it;
//   'setup' -> (sent with init) engine setup fails, as a broken model cache or runtime would.
import { statSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { AppError, StoppedError } from '../core/errors';
import { ARTIFACTS, stepOfSubStep, type ArtifactDigests, type ArtifactName, type SubStepId } from '../core/jobs';
import { digestFileSync, identityOf } from '../store/artifact-digest';
import { releaseAllSessions } from '../engines/onnx/sessions';
import type { EngineRegistry } from '../engines/registry';
import { createEngines, runPipeline } from '../pipeline/run-pipeline';
import { LOAD_SUB_STEP, plannedLoads } from '../pipeline/planned-loads';
import { computePlacementPreview, type PlacementPreviewRequest } from '../pipeline/placement-preview';
import type { StepContext } from '../pipeline/types';
import type { FromWorker, TestFault, ToWorker } from './protocol';
import type { WorkerConfig, WorkerJob } from '../pipeline/job';

if (!process.send) throw new Error('worker-entry must run as a forked child process');
const send = process.send.bind(process);
const post = (m: FromWorker) => {
  if (process.connected) send(m);
};
// The parent is gone (server killed or closed): stop at once rather than finish a job nobody
// owns; atomic writes mean nothing half-written is left behind.
process.on('disconnect', () => process.exit(0));
const log = (message: string) => post({ type: 'log', message });

/** Progress messages for the same sub-step are sent at most this often (fractions inside loops). */
const PROGRESS_INTERVAL_MS = 50;

let engines: Promise<EngineRegistry> | null = null;
/** The engine set has finished loading (or failed to): its sessions can be released safely. */
let enginesSettled = false;
let workerConfig: WorkerConfig | null = null;
let setupFault = false;
/** Why the last engine setup failed, or null: the next job sets the engines up again. */
let setupError: string | null = null;

const ARTIFACT_NAMES = Object.keys(ARTIFACTS) as ArtifactName[];

/** Builds the engine set; a failure is remembered (and logged) so /health can say so and the next job retries. */
function setupEngines(): Promise<EngineRegistry> {
  const config = workerConfig;
  const made = setupFault
    ? Promise.reject(new Error("test fault 'setup': engine setup failed on purpose"))
    : config
      ? createEngines(config, log)
      : Promise.reject(new Error('pipeline worker was not initialised'));
  return made.then(
    (registry) => {
      setupError = null;
      return registry;
    },
    (err: unknown) => {
      setupError = err instanceof Error ? err.message || err.name : String(err);
      log(`engine setup failed: ${setupError}`);
      throw err;
    },
  );
}

/**
 * Reports the digests of the job's artifacts written or changed since the last report. Synchronous
 * on purpose: messages keep their order (digests before the step-result that announces the file), and
 * hashing a few MB in this process costs the server nothing.
 */
function reportDigests(job: WorkerJob, sent: Map<ArtifactName, string>): void {
  const digests: ArtifactDigests = {};
  for (const name of ARTIFACT_NAMES) {
    const path = join(job.runDir, ARTIFACTS[name]);
    let id: string;
    try {
      id = identityOf(statSync(path));
    } catch {
      continue;
    }
    if (sent.get(name) === id) continue;
    const d = digestFileSync(path);
    if (!d) continue;
    sent.set(name, identityOf(d));
    digests[name] = d;
  }
  if (Object.keys(digests).length) post({ type: 'digests', jobId: job.jobId, digests });
}
let current: { jobId: string; controller: AbortController } | null = null;
/** Jobs already reported as stopped (on abort): nothing more is posted for them. */
const settled = new Set<string>();
/** Jobs received and not yet finished (running or waiting in the chain). */
const pending = new Set<string>();
/** Runs one after another: a stopped job may still be unwinding a native call when the next arrives. */
let chain: Promise<void> = Promise.resolve();

function applyTestFault(fault: TestFault | undefined): void {
  if (fault === 'crash') {
    log("test fault 'crash': exiting the worker mid-job");
    process.exit(70);
  }
  if (fault === 'hang') {
    log("test fault 'hang': blocking the worker thread");
    // Blocks this process's thread for up to 10 minutes; the runner kills it.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600_000);
  }
}

async function run(job: WorkerJob, testFault: TestFault | undefined): Promise<void> {
  const { jobId } = job;
  if (settled.has(jobId)) {
    // Stopped while it waited behind another job.
    settled.delete(jobId);
    pending.delete(jobId);
    return;
  }
  const controller = new AbortController();
  current = { jobId, controller };
  let reported = 0;
  let lastSub: SubStepId | null = null;
  let lastAt = 0;
  const ctx: StepContext = {
    signal: controller.signal,
    seed: job.params.seed,
    log,
    progress: (subStep, fraction, message) => {
      if (controller.signal.aborted) return;
      const now = performance.now();
      if (subStep === lastSub && fraction < 1 && !message && now - lastAt < PROGRESS_INTERVAL_MS) return;
      lastSub = subStep;
      lastAt = now;
      post({ type: 'progress', jobId, report: { step: stepOfSubStep(subStep), subStep, fraction, message } });
      if (++reported === 1) applyTestFault(testFault);
    },
  };
  const live = () => !settled.has(jobId);
  const sent = new Map<ArtifactName, string>();
  const digests = () => {
    if (live()) reportDigests(job, sent);
  };
  try {
    if (!engines) throw new Error('pipeline worker was not initialised');
    if (setupError !== null && enginesSettled) {
      // The last setup failed: try again for this job (the cause may be fixed), and say how it went.
      engines = setupEngines();
      engines.then(
        () => post({ type: 'setup', error: null }),
        () => post({ type: 'setup', error: setupError }),
      );
    }
    const set = await engines;
    if (controller.signal.aborted) throw new StoppedError();
    // The models this job will load (not resident now): its ETA carries the load from the start.
    const loads = await plannedLoads(job, set);
    if (loads.length && live()) post({ type: 'loads', jobId, loads });
    // Each component read from disk, in the sub-step that is running when it loads.
    set.onModelLoad((e) => live() && post({ type: 'model-load', jobId, subStep: lastSub ?? LOAD_SUB_STEP[e.role], ...e }));
    try {
      await runPipeline(job, set, ctx, {
        engine: (role, engine, provider, detail) => live() && post({ type: 'engine', jobId, role, engine, provider, ...(detail ? { detail } : {}) }),
        stepResult: (step, artifact) => {
          digests();
          if (live()) post({ type: 'step-result', jobId, step, artifact });
        },
        subStepDone: (subStep, seconds) => live() && post({ type: 'sub-step-done', jobId, subStep, seconds }),
      });
    } finally {
      set.onModelLoad(null);
    }
    if (controller.signal.aborted) throw new StoppedError();
    digests();
    post({ type: 'done', jobId });
  } catch (err) {
    const stopped = err instanceof StoppedError || controller.signal.aborted;
    const error = stopped ? new StoppedError().message : err instanceof Error ? err.message || err.name : String(err);
    if (!stopped && err instanceof Error && err.stack) log(err.stack);
    digests();
    if (live()) post({ type: 'failed', jobId, error, stopped });
  } finally {
    settled.delete(jobId);
    pending.delete(jobId);
    if (current?.jobId === jobId) current = null;
  }
}

/** Pixel work for the studio canvas: served at once, not queued behind the job chain. */
function preview(id: number, request: PlacementPreviewRequest): void {
  computePlacementPreview(request).then(
    (result) => post({ type: 'preview-result', id, result }),
    (err: unknown) =>
      post({
        type: 'preview-failed',
        id,
        status: err instanceof AppError ? err.status : 500,
        error: err instanceof Error ? err.message || err.name : String(err),
      }),
  );
}

let shuttingDown = false;
/**
 * Graceful exit. With no job in flight and the engines loaded, their ONNX sessions are released
 * first (GPU memory and provider contexts torn down in order). A job still running is aborted and
 * the process exits without releasing: a session must not be released under a run in flight, and
 * exiting frees it anyway. The supervisor kills the process if this does not end in time.
 */
async function shutdown(): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  current?.controller.abort();
  if (!current && pending.size === 0 && enginesSettled) {
    try {
      await releaseAllSessions();
    } catch (err) {
      log(`releasing sessions failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());

process.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'init':
      // Pixel and model work runs at a lower CPU priority than the server's event loop
      // (onnxruntime's threads inherit it), so API calls stay fast while a job saturates every core.
      try {
        setPriority(msg.config.nice ?? 10);
      } catch {
        // Not permitted on this platform/user: run at normal priority.
      }
      workerConfig = msg.config;
      setupFault = msg.testFault === 'setup';
      engines = setupEngines();
      // A failed setup is reported in 'ready' (the supervisor keeps it for /health) and by every job
      // that needs it (as its error), not by a crash loop; the next job sets the engines up again.
      engines.then(
        () => {
          enginesSettled = true;
          post({ type: 'ready' });
        },
        () => {
          enginesSettled = true;
          post({ type: 'ready', setupError });
        },
      );
      break;
    case 'preview':
      preview(msg.id, msg.request);
      break;
    case 'shutdown':
      void shutdown();
      break;
    case 'free': {
      // After the job in flight (never under a running session), like the next job would run.
      const { id } = msg;
      chain = chain.then(async () => {
        let released: string[] = [];
        try {
          if (engines) released = await (await engines).release();
        } catch (err) {
          log(`free: ${err instanceof Error ? err.message : String(err)}`);
        }
        post({ type: 'freed', id, released });
      });
      break;
    }
    case 'run': {
      const job = msg.job;
      pending.add(job.jobId);
      chain = chain.then(() => run(job, msg.testFault));
      break;
    }
    case 'abort':
      // Answer at once: the runner sees the stop land while the pipeline unwinds to its next
      // abort check (a native call in flight cannot be interrupted safely). Later runs wait for it.
      if (!pending.has(msg.jobId) || settled.has(msg.jobId)) break;
      settled.add(msg.jobId);
      if (current?.jobId === msg.jobId) current.controller.abort();
      post({ type: 'failed', jobId: msg.jobId, error: new StoppedError().message, stopped: true });
      break;
  }
});
