// A Hugging Face Hub stand-in on 127.0.0.1 for the model-manager tests, close enough to the real
// one for @huggingface/hub's fileDownloadInfo and our ranged downloader:
//  - GET/HEAD /<owner>/<name>/resolve/<revision>/<path>
//      small (git) files: answered directly, ETag = git blob id, Range honoured;
//      LFS files: 302 to a second listener (another origin, like the Hub's CDN) with
//      X-Linked-Etag = "<sha256>", X-Linked-Size, X-Repo-Commit on the redirect, as the Hub sends them;
//      unknown path: 404 + X-Error-Code: EntryNotFound; gated repo without token: 401.
//  - GET /cdn/<sha256> on the CDN listener: the bytes, with Range/206/416 and an S3-style ETag
//    that is NOT the sha256 (so a client that trusts the CDN's ETag is caught).
// Faults: cutAfter() drops the socket mid-body; stallAfter() goes silent mid-body; serveInstead()
// serves other bytes than announced.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostedFile {
  path: string;
  content: Buffer;
  /** Stored with LFS (redirect + X-Linked-*); default: .onnx/.onnx_data/.data files and anything over 1 KiB. */
  lfs?: boolean;
}

export interface HostedRepo {
  repo: string;
  revision: string;
  files: HostedFile[];
  /** Gated/private: requests need `Authorization: Bearer <token>`. */
  token?: string;
}

export interface RecordedRequest {
  server: 'hub' | 'cdn';
  method: string;
  path: string;
  range: string | null;
  authorization: string | null;
}

export interface ModelHost {
  /** Base URL to pass as hubUrl (http://127.0.0.1:<port>). */
  url: string;
  cdnUrl: string;
  requests: RecordedRequest[];
  /** The next `times` body transfers of `path` send `bytes` bytes of body, then the socket is destroyed. */
  cutAfter(path: string, bytes: number, times?: number): void;
  /** The next `times` body transfers of `path` send `bytes` bytes, then go silent with the socket open. */
  stallAfter(path: string, bytes: number, times?: number): void;
  /** Serve these bytes for `path` while still announcing the original size and sha256. */
  serveInstead(path: string, content: Buffer): void;
  sha256(path: string): string;
  close(): Promise<void>;
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
export const gitBlobId = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

interface Entry {
  repo: HostedRepo;
  file: HostedFile;
  lfs: boolean;
  sha: string;
}

function isLfs(f: HostedFile): boolean {
  return f.lfs ?? (/\.(onnx|onnx_data|data)$/.test(f.path) || f.content.length > 1024);
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start >= size || start > end ? 'invalid' : { start, end };
}

export async function startModelHost(repos: HostedRepo[]): Promise<ModelHost> {
  const byPath = new Map<string, Entry>();
  const bySha = new Map<string, Entry>();
  for (const repo of repos) {
    for (const file of repo.files) {
      const e = { repo, file, lfs: isLfs(file), sha: sha256(file.content) };
      byPath.set(`${repo.repo}@${repo.revision}/${file.path}`, e);
      bySha.set(e.sha, e);
    }
  }
  const cuts = new Map<string, { bytes: number; times: number; stall?: boolean }>();
  const replaced = new Map<string, Buffer>();
  const requests: RecordedRequest[] = [];

  /** Sends `body` (all or a Range of it) with the given headers, applying any pending cut. */
  function sendBytes(req: http.IncomingMessage, res: http.ServerResponse, e: Entry, headers: Record<string, string>): void {
    const body = replaced.get(e.file.path) ?? e.file.content;
    const size = e.file.content.length; // what the Hub announced
    const range = parseRange(req.headers.range, size);
    if (range === 'invalid') {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    const slice = body.subarray(start, end + 1);
    res.writeHead(range ? 206 : 200, {
      ...headers,
      'Accept-Ranges': 'bytes',
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(end - start + 1),
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    });
    if (req.method === 'HEAD') return void res.end();
    const cut = cuts.get(e.file.path);
    if (cut && cut.times > 0 && slice.length > cut.bytes) {
      cut.times--;
      // Flush part of the body, then drop the connection the way a flaky link does (or just stop
      // sending, the way a dead route does; close() cleans the socket up).
      res.write(slice.subarray(0, cut.bytes), () => (cut.stall ? undefined : setTimeout(() => res.socket?.destroy(), 20)));
      return;
    }
    res.end(slice);
  }

  const cdn = http.createServer((req, res) => {
    requests.push({
      server: 'cdn',
      method: req.method ?? '',
      path: req.url ?? '',
      range: req.headers.range ?? null,
      authorization: req.headers.authorization ?? null,
    });
    const m = /^\/cdn\/([0-9a-f]{64})$/.exec(req.url ?? '');
    const e = m && bySha.get(m[1]);
    if (!e) return void res.writeHead(404).end('no such object');
    sendBytes(req, res, e, { ETag: `"${createHash('md5').update(e.file.content).digest('hex')}-1"` });
  });
  await new Promise<void>((r) => cdn.listen(0, '127.0.0.1', r));
  const cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;

  const hub = http.createServer((req, res) => {
    requests.push({
      server: 'hub',
      method: req.method ?? '',
      path: req.url ?? '',
      range: req.headers.range ?? null,
      authorization: req.headers.authorization ?? null,
    });
    const url = new URL(req.url ?? '/', 'http://hub');
    const m = /^\/([\w.-]+\/[\w.-]+)\/resolve\/([^/]+)\/(.+)$/.exec(decodeURIComponent(url.pathname));
    if (!m) return void res.writeHead(404, { 'X-Error-Code': 'RepoNotFound' }).end();
    const [, repoName, revision, filePath] = m;
    const repo = repos.find((r) => r.repo === repoName);
    if (!repo)
      return void res
        .writeHead(404, { 'X-Error-Code': 'RepoNotFound', 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: 'Repository not found' }));
    if (repo.token && req.headers.authorization !== `Bearer ${repo.token}`) {
      return void res
        .writeHead(401, { 'X-Error-Code': 'GatedRepo', 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: 'Access to model is restricted' }));
    }
    if (revision !== repo.revision)
      return void res
        .writeHead(404, { 'X-Error-Code': 'RevisionNotFound', 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: 'Invalid rev id' }));
    const e = byPath.get(`${repo.repo}@${repo.revision}/${filePath}`);
    if (!e)
      return void res.writeHead(404, { 'X-Error-Code': 'EntryNotFound', 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'Entry not found' }));
    if (e.lfs) {
      // The pointer file's blob id is the ETag of the resolve answer; the content hash travels in X-Linked-Etag.
      const pointer = Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${e.sha}\nsize ${e.file.content.length}\n`);
      res.writeHead(302, {
        Location: `${cdnUrl}/cdn/${e.sha}`,
        ETag: `"${gitBlobId(pointer)}"`,
        'X-Linked-Etag': `"${e.sha}"`,
        'X-Linked-Size': String(e.file.content.length),
        'X-Repo-Commit': repo.revision,
      });
      return void res.end();
    }
    sendBytes(req, res, e, { ETag: `"${gitBlobId(e.file.content)}"`, 'X-Repo-Commit': repo.revision });
  });
  await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;

  const close = (s: http.Server) =>
    new Promise<void>((r) => {
      s.closeAllConnections();
      s.close(() => r());
    });

  return {
    url,
    cdnUrl,
    requests,
    cutAfter(path, bytes, times = 1) {
      cuts.set(path, { bytes, times });
    },
    stallAfter(path, bytes, times = 1) {
      cuts.set(path, { bytes, times, stall: true });
    },
    serveInstead(path, content) {
      replaced.set(path, content);
    },
    sha256(path) {
      const e = [...byPath.values()].find((x) => x.file.path === path);
      if (!e) throw new Error(`not hosted: ${path}`);
      return e.sha;
    },
    close: async () => {
      await Promise.all([close(hub), close(cdn)]);
    },
  };
}

/** A port on 127.0.0.1 with nothing listening (ECONNREFUSED), for the offline tests. */
export async function closedPortUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}
