// A bound on how many jobs one API family may have waiting in the shared lane (issue 10 item 9):
// past it, a submit is refused with BusyError (503 + Retry-After in the family's own shape) before
// any image is decoded or anything is written. The count comes from the service's job events (no
// query per submit) plus the submits in flight, so concurrent requests cannot slip past the bound.
import { BusyError } from '../core/errors';
import type { JobEvent, StudioService } from '../core/service';

/** A family's queue is at its bound: a BusyError (503 + Retry-After) whose detail says which bound. */
export class FamilyQueueFullError extends BusyError {
  constructor(
    readonly family: string,
    readonly bound: number,
    retryAfterSeconds: number,
  ) {
    super(retryAfterSeconds);
    this.name = 'FamilyQueueFullError';
    const text = `Queue full: ${bound} ${family} job(s) are already waiting (the bound for this API). Retry after ${retryAfterSeconds}s`;
    (this as { detail: string }).detail = text;
    this.message = text;
  }
}

export class QueueGate {
  private readonly waiting = new Set<string>();
  private inFlight = 0;
  private readonly off: () => void;

  constructor(
    private readonly service: StudioService,
    /** The `client` the family submits with (comfy, bridge, adgen, studio). */
    readonly client: string,
    readonly bound: number,
  ) {
    for (const job of service.list({ status: 'pending', limit: 100_000 })) if (job.client === client) this.waiting.add(job.job_id);
    this.off = service.onEvent((e) => this.onEvent(e));
  }

  private onEvent(e: JobEvent): void {
    if (e.type === 'deleted') this.waiting.delete(e.jobId);
    else if (e.job.client !== this.client) return;
    else if (e.type === 'created' && e.job.status === 'pending') this.waiting.add(e.job.job_id);
    else if (e.type !== 'created' && e.job.status !== 'pending') this.waiting.delete(e.job.job_id);
  }

  /** Jobs of this family waiting now, plus submits under way. */
  get queued(): number {
    return this.waiting.size + this.inFlight;
  }

  /** Throws FamilyQueueFullError when the family's queue is full; otherwise runs `submit` holding a place. */
  async admit<T>(submit: () => Promise<T>): Promise<T> {
    if (this.queued >= this.bound) throw new FamilyQueueFullError(this.client, this.bound, Math.max(1, Math.ceil(this.service.retryAfterSeconds())));
    this.inFlight++;
    try {
      return await submit();
    } finally {
      this.inFlight--;
    }
  }

  close(): void {
    this.off();
  }
}
