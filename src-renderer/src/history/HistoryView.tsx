// History: past jobs from the database as a gallery with thumbnails, a status filter and search;
// reruns of one ad are grouped under their latest version (lineage through from_job_id), a click
// on a thumbnail opens the job back in the studio; delete, or export one or many as a streamed ZIP.
import { useCallback, useEffect, useState } from 'react';
import { JOB_STATUSES, type JobStatus } from '../../../src-main/core/jobs';
import { artifactPath, type JobRecord } from '../../../src-preload/contract';
import { api } from '../api';
import { useLang, useT, type MessageKey } from '../i18n';
import { useStudio } from '../stores/studio';
import { formatBytes } from '../../../src-main/core/format';

const PAGE = 24;

/** Groups jobs by lineage: a rerun (from_job_id) joins the group of the job it came from. */
export function lineageGroups(jobs: JobRecord[]): JobRecord[][] {
  const byId = new Map(jobs.map((j) => [j.job_id, j]));
  const rootOf = (j: JobRecord): string => {
    let cur = j;
    const seen = new Set<string>();
    for (let parent = cur.parameters.from_job_id; parent && byId.has(parent) && !seen.has(parent); parent = cur.parameters.from_job_id) {
      seen.add(parent);
      cur = byId.get(parent) as JobRecord;
    }
    return cur.job_id;
  };
  const groups = new Map<string, JobRecord[]>();
  for (const j of jobs) {
    const r = rootOf(j);
    groups.set(r, [...(groups.get(r) ?? []), j]);
  }
  // Newest version first in each group; groups in the order of their newest version.
  return [...groups.values()].map((g) => g.sort((a, b) => b.created_at - a.created_at)).sort((a, b) => b[0].created_at - a[0].created_at);
}

function thumbOf(job: JobRecord): string | null {
  const a = (['final', 'step1', 'cutout', 'input'] as const).find((x) => job.artifacts.includes(x));
  return a ? api.assetUrl(artifactPath(job.job_id, a, { width: 320 })) : null;
}

export function HistoryView() {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const openJob = useStudio((s) => s.openJob);
  const [status, setStatus] = useState<JobStatus | ''>('');
  const [search, setSearch] = useState('');
  const [jobs, setJobs] = useState<JobRecord[]>([]);
  const [total, setTotal] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [exporting, setExporting] = useState<{ pct: number } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());

  const load = useCallback(
    async (offset: number) => {
      try {
        const page = await api.listJobs({ status: status || undefined, search: search || undefined, limit: PAGE, offset });
        setJobs((prev) => (offset === 0 ? page.jobs : [...prev, ...page.jobs]));
        setTotal(page.total);
        setError(null);
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
      }
    },
    [status, search],
  );

  // Debounced so typing a search does not fire a request per key.
  useEffect(() => {
    const timer = setTimeout(() => void load(0), 200);
    return () => clearTimeout(timer);
  }, [load]);

  // Keep the gallery current while jobs finish or are deleted elsewhere.
  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type === 'deleted') setJobs((list) => list.filter((j) => j.job_id !== e.jobId));
        else if (e.type === 'finished' || e.type === 'created') void load(0);
      }),
    [load],
  );

  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  const remove = async (job: JobRecord) => {
    if (!window.confirm(t('confirmDelete'))) return;
    try {
      await api.deleteJob(job.job_id);
      setJobs((list) => list.filter((j) => j.job_id !== job.job_id));
      setSelected((s) => {
        const n = new Set(s);
        n.delete(job.job_id);
        return n;
      });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const exportZip = async () => {
    setExporting({ pct: 0 });
    setMessage(null);
    try {
      const r = await api.exportZip([...selected], (p) => setExporting({ pct: p.bytesTotal ? Math.round((100 * p.bytesDone) / p.bytesTotal) : 0 }));
      if (r.saved) setMessage(t('exported', { name: r.fileName, size: formatBytes(r.bytes) }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setExporting(null);
    }
  };

  const date = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="history">
      <div className="history-bar">
        <h1 className="h1">{t('history')}</h1>
        <input type="search" className="search" placeholder={t('search')} aria-label={t('search')} value={search} onChange={(e) => setSearch(e.target.value)} />
        <select aria-label={t('statusAll')} value={status} onChange={(e) => setStatus(e.target.value as JobStatus | '')}>
          <option value="">{t('statusAll')}</option>
          {JOB_STATUSES.map((st) => (
            <option key={st} value={st}>
              {t(`status_${st}` as MessageKey)}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-ghost" onClick={() => void load(0)}>
          {t('refresh')}
        </button>
        <span className="muted">{t('jobsCount', { n: total })}</span>
        <span className="spacer" />
        {selected.size > 0 && <span className="muted">{t('selectedN', { n: selected.size })}</span>}
        <button
          type="button"
          className="btn btn-primary"
          disabled={selected.size === 0 || !!exporting}
          onClick={() => void exportZip()}
          data-testid="export-zip"
        >
          {exporting ? t('exporting', { pct: exporting.pct }) : t('exportZip')}
        </button>
      </div>
      {exporting && (
        <div className="progress-track slim" role="progressbar" aria-label={t('exportZip')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={exporting.pct}>
          <div className="progress-fill" style={{ width: `${exporting.pct}%` }} />
        </div>
      )}
      {message && (
        <div className="notice" role="status">
          {message}
        </div>
      )}
      {error && (
        <div className="error-note" role="alert">
          {error}
        </div>
      )}
      {jobs.length === 0 ? (
        <p className="empty">{t('noJobs')}</p>
      ) : (
        <ul className="gallery">
          {lineageGroups(jobs).flatMap((group) => {
            const head = group[0];
            const expanded = open.has(head.job_id);
            return (expanded ? group : [head]).map((job, index) => {
              const versions = index === 0 ? group.length : 0;
              const thumb = thumbOf(job);
              const headline = job.parameters.text_content?.trim() || t('noHeadline');
              const took = job.finished_at && job.start_time ? `${(job.finished_at - job.start_time).toFixed(1)} ${t('sec')}` : '';
              return (
                <li
                  key={job.job_id}
                  className={`card ${selected.has(job.job_id) ? 'is-selected' : ''} ${index > 0 ? 'is-version' : ''}`}
                  data-job-id={job.job_id}
                >
                  <button type="button" className="card-thumb checker" onClick={() => void openJob(job)} aria-label={`${t('open')}: ${headline}`}>
                    {thumb ? <img src={thumb} alt={headline} loading="lazy" /> : null}
                    {/* A job that stopped at the text step: show its layer too, since the scene alone says little. */}
                    {job.artifacts.includes('step2') && !job.artifacts.includes('final') && (
                      <img
                        className="card-layer checker"
                        src={api.assetUrl(artifactPath(job.job_id, 'step2', { width: 200 }))}
                        alt={t('textLayer')}
                        loading="lazy"
                      />
                    )}
                  </button>
                  <div className="card-body">
                    <div className="card-title" title={headline}>
                      {headline}
                    </div>
                    <div className="card-meta">
                      <span className={`badge status-${job.status}`}>{t(`status_${job.status}` as MessageKey)}</span>
                      <span className="muted">{date.format(new Date(job.created_at * 1000))}</span>
                      {took && <span className="muted">{took}</span>}
                    </div>
                    <div className="card-meta muted small card-prompt" title={job.parameters.bg_prompt}>
                      {job.parameters.bg_prompt}
                    </div>
                    <div className="card-meta muted small">
                      {job.start_step === job.stop_step ? t('stepOnly', { n: job.start_step }) : t('stepsRange', { a: job.start_step, b: job.stop_step })} ·{' '}
                      {job.job_id.slice(0, 8)}
                    </div>
                  </div>
                  <div className="card-actions">
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={selected.has(job.job_id)}
                        onChange={() => toggle(job.job_id)}
                        aria-label={`${t('select')} ${job.job_id}`}
                      />
                      <span>{t('select')}</span>
                    </label>
                    {versions > 1 && (
                      <button
                        type="button"
                        className="btn btn-ghost btn-sm"
                        aria-expanded={expanded}
                        onClick={() =>
                          setOpen((o) => {
                            const n = new Set(o);
                            if (n.has(head.job_id)) n.delete(head.job_id);
                            else n.add(head.job_id);
                            return n;
                          })
                        }
                        data-testid="versions"
                      >
                        {expanded ? t('hideVersions') : t('versionsN', { n: versions })}
                      </button>
                    )}
                    <button type="button" className="btn btn-secondary btn-sm" onClick={() => void openJob(job)}>
                      {t('open')}
                    </button>
                    <button
                      type="button"
                      className="btn btn-ghost btn-sm"
                      onClick={() => void remove(job)}
                      disabled={job.status === 'running' || job.status === 'pending'}
                      aria-label={`${t('delete')} ${job.job_id}`}
                    >
                      {t('delete')}
                    </button>
                  </div>
                </li>
              );
            });
          })}
        </ul>
      )}
      {jobs.length < total && (
        <button type="button" className="btn btn-secondary load-more" onClick={() => void load(jobs.length)}>
          {t('loadMore')}
        </button>
      )}
    </div>
  );
}
