// Which models a job will have to load before it can run, as run-pipeline.ts will ask for them:
// step 1 asks for `bg_engine` (when it runs), step 2 for `text_engine` (when a headline is rendered).
// The registry answers from what is resident now and what the VRAM budget lets stay together, so
// the job's ETA carries the load from its start: the first job after a start or an engine switch.
import type { SubStepId } from '../core/jobs';
import { hasTextLayer } from '../core/params';
import type { EngineRegistry, ModelLoad } from '../engines/registry';
import type { WorkerJob } from './job';

/** A model load the job will wait for, and the sub-step it happens in. */
export interface PlannedLoad extends ModelLoad {
  subStep: SubStepId;
}

/** The sub-step in which a role's model loads (its sessions load when they first run). */
export const LOAD_SUB_STEP: Record<ModelLoad['role'], SubStepId> = {
  background: 'background_generation',
  text: 'text_generation',
};

/** The engines a job asks the registry for, per role (null: that step does not run). */
export function requestedEngines(job: WorkerJob): { background: string | null; lettering: string | null } {
  const p = job.params;
  const lastStep = hasTextLayer(p.text_content, job.startStep) ? job.stopStep : 1;
  return {
    background: job.startStep === 1 ? p.bg_engine : null,
    lettering: job.startStep <= 2 && lastStep >= 2 ? p.text_engine : null,
  };
}

export async function plannedLoads(job: WorkerJob, engines: Pick<EngineRegistry, 'plannedLoads'>): Promise<PlannedLoad[]> {
  const loads = await engines.plannedLoads(requestedEngines(job));
  return loads.map((l) => ({ ...l, subStep: LOAD_SUB_STEP[l.role] }));
}
