// Messages between the job lane's worker supervisor (server process) and the pipeline worker
// (a child process, see docs/adr/0001).
import type { ArtifactName, EngineRole, ProgressReport, StepId, SubStepId } from '../core/jobs';
import type { WorkerConfig, WorkerJob } from '../pipeline/job';

export type ToWorker =
  | { type: 'init'; config: WorkerConfig }
  | { type: 'run'; job: WorkerJob; /** Failure injection for tests ('crash' | 'hang'), see worker-entry.ts. */ testFault?: string }
  | { type: 'abort'; jobId: string };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; jobId: string; report: ProgressReport }
  | { type: 'engine'; jobId: string; role: EngineRole; engine: string; provider: string | null }
  | { type: 'step-result'; jobId: string; step: StepId; artifact: ArtifactName }
  | { type: 'sub-step-done'; jobId: string; subStep: SubStepId; seconds: number }
  | { type: 'done'; jobId: string }
  | { type: 'failed'; jobId: string; error: string; stopped: boolean }
  | { type: 'log'; message: string };
