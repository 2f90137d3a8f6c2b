// Is an artifact on disk still the file that was written? Checked against the SHA-256 the store
// recorded for it (store/artifact-digest.ts), cheaply: a file whose identity (size, mtime, inode) is
// the recorded one, or the one last verified, is trusted without being read; one whose identity
// changed is hashed again. Files with no recorded digest (older jobs) get a structural check (a PNG
// must end with IEND). What was found damaged is remembered per job, so job records can list it
// without touching the disk.
//
// Callers that read the whole file anyway (serving it, thumbnails) pass the bytes to checkBytes,
// which also catches a file altered in place with its size and mtime kept.
import { statSync } from 'node:fs';
import { ARTIFACTS, isJobId, type ArtifactDigests, type ArtifactName } from '../core/jobs';
import type { ArtifactCheck } from '../core/service';
import { digestFileSync, digestIdentity, identityOf, mismatch, sha256Of, structuralProblem } from '../store/artifact-digest';
import type { RunFolders } from '../store/run-folders';

interface Verdict {
  identity: string;
  state: ArtifactCheck['state'];
  reason: string | null;
}

const MEMO_ENTRIES = 20_000;

export class ArtifactIntegrity {
  /** Last verdict per path, for the identity it was reached at (insertion order = age). */
  private readonly memo = new Map<string, Verdict>();
  private readonly damagedByJob = new Map<string, Map<ArtifactName, string>>();

  constructor(
    private readonly folders: Pick<RunFolders, 'fileOf'>,
    /** The digests recorded for a job (from the store). */
    private readonly digestsOf: (jobId: string) => ArtifactDigests | undefined,
  ) {}

  /** The artifact as it is now; undefined when the id, the name or the file does not exist. Synchronous (a stat; a hash only when the file changed). */
  check(jobId: string, name: ArtifactName, recorded?: ArtifactDigests): ArtifactCheck | undefined {
    if (!isJobId(jobId) || !(name in ARTIFACTS)) return undefined;
    const path = this.folders.fileOf(jobId, name);
    let identity: string;
    let size: number;
    try {
      const st = statSync(path);
      if (!st.isFile()) return undefined;
      identity = identityOf(st);
      size = st.size;
    } catch {
      return undefined;
    }
    const memo = this.memo.get(path);
    if (memo && memo.identity === identity) return { path, identity, state: memo.state, reason: memo.reason };
    const expected = (recorded ?? this.digestsOf(jobId))?.[name];
    let verdict: Verdict;
    if (expected && digestIdentity(expected) === identity) {
      verdict = { identity, state: 'ok', reason: null };
    } else if (expected) {
      const now = digestFileSync(path);
      if (!now) return undefined;
      const reason = mismatch(expected, now);
      verdict = { identity: identityOf(now), state: reason ? 'damaged' : 'ok', reason };
    } else {
      let reason: string | null;
      try {
        reason = structuralProblem(path, size);
      } catch {
        return undefined;
      }
      verdict = { identity, state: reason ? 'damaged' : 'unverified', reason };
    }
    this.remember(jobId, name, path, verdict);
    return { path, identity: verdict.identity, state: verdict.state, reason: verdict.reason };
  }

  /**
   * Checks bytes just read from the artifact (whose identity was `identity` before the read) against
   * the recorded digest. Returns the verdict for those bytes.
   */
  checkBytes(jobId: string, name: ArtifactName, bytes: Uint8Array, identity: string): ArtifactCheck {
    const path = this.folders.fileOf(jobId, name);
    const expected = this.digestsOf(jobId)?.[name];
    let verdict: Verdict;
    if (expected) {
      const reason = mismatch(expected, { sha256: sha256Of(bytes), size: bytes.length, mtimeMs: 0, ino: 0 });
      verdict = { identity, state: reason ? 'damaged' : 'ok', reason };
    } else {
      const memo = this.memo.get(path);
      verdict = memo && memo.identity === identity ? memo : { identity, state: 'unverified', reason: null };
    }
    this.remember(jobId, name, path, verdict);
    return { path, identity, state: verdict.state, reason: verdict.reason };
  }

  /** Artifacts of the job found damaged so far (no I/O). */
  damaged(jobId: string): ArtifactName[] {
    const m = this.damagedByJob.get(jobId);
    return m ? (Object.keys(ARTIFACTS) as ArtifactName[]).filter((a) => m.has(a)) : [];
  }

  /** The job's files are gone (deleted): forget what was known about them. */
  forget(jobId: string): void {
    this.damagedByJob.delete(jobId);
    for (const name of Object.keys(ARTIFACTS) as ArtifactName[]) this.memo.delete(this.folders.fileOf(jobId, name));
  }

  private remember(jobId: string, name: ArtifactName, path: string, verdict: Verdict): void {
    this.memo.delete(path);
    this.memo.set(path, verdict);
    if (this.memo.size > MEMO_ENTRIES) this.memo.delete(this.memo.keys().next().value as string);
    let m = this.damagedByJob.get(jobId);
    if (verdict.state === 'damaged') {
      if (!m) this.damagedByJob.set(jobId, (m = new Map()));
      m.set(name, verdict.reason ?? 'damaged');
    } else if (m) {
      m.delete(name);
      if (m.size === 0) this.damagedByJob.delete(jobId);
    }
  }
}
