// The history page: one page of jobs for a filter, the number of jobs matching that filter (a COUNT
// query, not the length of a capped list), and the counts over all jobs.
import type { JobRecord, JobsPage, ListJobsQuery } from '../core/service';
import type { JobRow, JobStore } from '../store/db';

export const DEFAULT_PAGE_SIZE = 50;

export function jobsPage(store: Pick<JobStore, 'list' | 'count' | 'counts'>, recordOf: (row: JobRow) => JobRecord, query: ListJobsQuery): JobsPage {
  const filter = { status: query.status, search: query.search?.trim() || undefined };
  return {
    jobs: store.list({ ...filter, limit: query.limit ?? DEFAULT_PAGE_SIZE, offset: query.offset ?? 0 }).map(recordOf),
    total: store.count(filter),
    counts: store.counts(),
  };
}
