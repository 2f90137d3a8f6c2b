// Job rows as the store keeps them, for tests that need history without running the pipeline.
import { randomUUID } from 'node:crypto';
import { GenerateRequestSchema } from '../../src-main/core/params';
import type { JobParams, JobRow } from '../../src-main/store/db';

/** A completed job with a headline (`text`), every field overridable. */
export function jobRow(over: Partial<JobRow> & { text?: string } = {}): JobRow {
  const { product_image: _p, step1_image: _s1, step2_image: _s2, ...req } = GenerateRequestSchema.parse({ text_content: over.text ?? 'Fresh Apples' });
  const params: JobParams = { ...req, seed: 42 };
  const { text: _t, ...rest } = over;
  return {
    id: randomUUID(),
    status: 'completed',
    client: 'nanococoa',
    createdAt: 1000,
    startedAt: 1001,
    finishedAt: 1002,
    startStep: 1,
    stopStep: 3,
    params,
    progress: 100,
    currentStep: 'step3_composite',
    subStep: null,
    message: 'Completed',
    error: null,
    engines: { segment: 'isnet', background: 'procedural' },
    engineReports: {},
    provider: 'cpu',
    timings: { segmentation: 1.25 },
    reusedSteps: [],
    artifacts: ['final', 'params'],
    fromJobId: null,
    ...rest,
  };
}
