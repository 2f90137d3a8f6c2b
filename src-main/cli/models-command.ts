// `adforge models list | install <id> | import <id> <folder> | verify [id] | remove <id>`: the
// model manager from a terminal. Downloads and copies draw one live progress line on stderr
// (bytes, percent, speed, ETA); results go to stdout; every failure is one message that says what
// to do next, and a non-zero exit code. Streams, settings and the clock are injected for the tests.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config';
import { formatBytes } from '../core/format';
import {
  createCatalog,
  formatProgress,
  importModel,
  installModel,
  isModelError,
  removeModel,
  verifyModel,
  type InstallProgress,
  type ModelCatalog,
  type ModelStatus,
} from '../engines/models';

export const MODELS_USAGE = `Usage:
  adforge models [list] [--json]              engines and their model files: installed, partial, missing
  adforge models install <id> [--revision <commit>] [--force]
                                              download from Hugging Face (resumes; verifies sha256)
  adforge models import <id> <folder>         install from a folder of files copied from a connected machine
  adforge models verify [id]                  re-hash installed files against the lock file
  adforge models remove <id>                  delete an installed model
Options: [--models-dir M] [--data-dir D] [--hub-url URL (a Hub mirror; default HF_ENDPOINT or https://huggingface.co)]
Environment: HF_TOKEN (gated or private repositories), HF_ENDPOINT`;

export interface ModelsArgs {
  sub: 'list' | 'install' | 'import' | 'verify' | 'remove';
  positionals: string[];
  dataDir?: string;
  modelsDir?: string;
  revision?: string;
  hubUrl?: string;
  force: boolean;
  json: boolean;
  help: boolean;
}

const SUBS = ['list', 'install', 'import', 'verify', 'remove'] as const;

/** A ConfigError, so cli.ts's top level prints it as one "adforge: ..." message. */
export class ModelsUsageError extends ConfigError {
  constructor(message: string) {
    super(`${message}\n${MODELS_USAGE}`);
    this.name = 'ModelsUsageError';
  }
}

/** Parses everything after `adforge models`; throws ModelsUsageError on a wrong call. */
export function parseModelsArgs(argv: string[]): ModelsArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      'models-dir': { type: 'string' },
      revision: { type: 'string' },
      'hub-url': { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [first, ...rest] = positionals;
  const sub = (first ?? 'list') as ModelsArgs['sub'];
  if (!SUBS.includes(sub)) throw new ModelsUsageError(`unknown models command "${first}"`);
  const need = { list: 0, install: 1, import: 2, verify: 0, remove: 1 }[sub];
  const max = sub === 'verify' ? 1 : need;
  if (!values.help && (rest.length < need || rest.length > max)) {
    throw new ModelsUsageError(`models ${sub} takes ${need === max ? need : `${need}-${max}`} argument(s), got ${rest.length}`);
  }
  return {
    sub,
    positionals: rest,
    dataDir: values['data-dir'],
    modelsDir: values['models-dir'],
    revision: values.revision,
    hubUrl: values['hub-url'],
    force: values.force === true,
    json: values.json === true,
    help: values.help === true,
  };
}

export interface Writer {
  write(s: string): unknown;
  isTTY?: boolean;
}

export interface ModelsContext {
  /** Resolved by config.ts: where weights live, the shipped manifests, the data dir, the token. */
  modelsDir: string;
  /** Folder with the shipped manifests (the app root or packaged resources). */
  resourcesDir: string;
  dataDir: string;
  hfToken: string | null;
  /** HF_ENDPOINT as the cli module read it; --hub-url wins. */
  hubEndpoint?: string;
  stdout: Writer;
  stderr: Writer;
  signal?: AbortSignal;
  /** Lines appended to `list` (built-in engines, ONNX backends): the caller knows those. */
  listFooter?: () => Promise<string[]>;
  now?: () => number;
  /** Tests only: fail-fast retries. */
  retryDelayMs?: number;
}

const STATE_LABEL: Record<ModelStatus['state'], string> = {
  installed: 'installed',
  unverified: 'found (not verified)',
  outdated: 'installed (older revision)',
  partial: 'partial',
  missing: 'missing',
  bundled: 'bundled',
};

function sizeColumn(s: ModelStatus, approx: boolean): string {
  const expected = `${approx ? '~' : ''}${formatBytes(s.bytesExpected)}`;
  if (s.state === 'bundled') return s.bytesExpected ? formatBytes(s.bytesExpected) : '';
  if (s.state === 'missing') return s.bytesExpected ? expected : '?';
  if (s.state === 'partial') return `${formatBytes(s.bytesPresent)} / ${s.bytesExpected ? expected : '?'}`;
  return formatBytes(s.bytesPresent);
}

function whereColumn(s: ModelStatus, catalog: ModelCatalog, dataDir: string): string {
  const m = catalog.manifest(s.id);
  if (m.distribution === 'npm') {
    const loc = m.files[0] && typeof m.files[0].location === 'string' ? m.files[0].location.replace('<dataDir>', dataDir) : null;
    return `npm ${m.package?.name ?? ''} ${m.package?.version ?? ''}${loc && existsSync(loc) ? ` (assembled: ${loc})` : ''}`.trim();
  }
  const where = m.layout === 'flat' ? s.files.map((f) => f.absPath).join(', ') : s.dir;
  const rev = s.lock?.revision ?? s.revision;
  const extra: string[] = [];
  if (s.state === 'partial') extra.push(`${s.files.filter((f) => f.ok).length} of ${s.files.length} files`);
  if (rev) extra.push(`rev ${rev.slice(0, 7)}`);
  else if (m.distribution === 'hub') extra.push('revision not pinned: install needs --revision');
  return `${where}${extra.length ? `  (${extra.join(', ')})` : ''}`;
}

async function list(args: ModelsArgs, ctx: ModelsContext, catalog: ModelCatalog, manifestErrors: { file: string; message: string }[]): Promise<number> {
  const statuses = (await catalog.list()).sort((a, b) => a.role.localeCompare(b.role) || a.id.localeCompare(b.id));
  if (args.json) {
    ctx.stdout.write(`${JSON.stringify({ modelsDir: ctx.modelsDir, models: statuses, manifestErrors }, null, 2)}\n`);
    return 0;
  }
  const rows = statuses.map((s) => {
    const approx = catalog.manifest(s.id).files.some((f) => f.bytes == null) && s.lock === null;
    return [s.role, s.id, STATE_LABEL[s.state], sizeColumn(s, approx), whereColumn(s, catalog, ctx.dataDir)];
  });
  for (const e of manifestErrors) rows.push(['?', path.basename(e.file), 'unreadable manifest', '', e.message]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 0));
  for (const r of rows)
    ctx.stdout.write(
      `${r
        .map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c))
        .join('  ')
        .trimEnd()}\n`,
    );
  const footer = (await ctx.listFooter?.()) ?? [];
  // Built-in engine rows continue the table; everything after the first blank line follows "models dir".
  const blank = footer.indexOf('');
  for (const line of blank < 0 ? footer : footer.slice(0, blank)) ctx.stdout.write(`${line}\n`);
  ctx.stdout.write(`\nmodels dir: ${ctx.modelsDir}\n`);
  for (const line of blank < 0 ? [] : footer.slice(blank + 1)) ctx.stdout.write(`${line}\n`);
  return 0;
}

/** The live line: "[sd-turbo 4/14] unet/model.onnx  1.2 GiB / 2.4 GiB  50%  12.5 MiB/s  ETA 1m40s". */
export function installProgressLine(p: InstallProgress, width = 100): string {
  const head = `[${p.modelId} ${Math.min(p.fileIndex + 1, p.fileCount)}/${p.fileCount}]`;
  let line: string;
  if (p.phase === 'verify') line = `${head} verifying ${p.file} ${p.fileTotal ? Math.floor((p.fileDone / p.fileTotal) * 100) : 100}%`;
  else if (p.phase === 'done') line = `[${p.modelId}] ${formatProgress(p)}  done`;
  else line = `${head} ${p.file}${p.attempt ? ` (retry ${p.attempt})` : ''}  ${formatProgress(p)}`;
  return line.length >= width ? line : line.padEnd(width);
}

function progressPrinter(ctx: ModelsContext): { onProgress: (p: InstallProgress) => void; end: () => void } {
  const tty = ctx.stderr.isTTY === true;
  const now = ctx.now ?? (() => Date.now());
  let last = -Infinity;
  let drawn = false;
  return {
    onProgress: (p) => {
      // A terminal redraws in place; a log file gets a line every few seconds, not thousands.
      const t = now();
      if (!tty && p.phase !== 'done' && t - last < 2000) return;
      last = t;
      drawn = true;
      ctx.stderr.write(tty ? `\r${installProgressLine(p)}` : `${installProgressLine(p).trimEnd()}\n`);
    },
    end: () => {
      if (drawn && tty) ctx.stderr.write('\n');
      drawn = false;
    },
  };
}

async function install(args: ModelsArgs, ctx: ModelsContext, catalog: ModelCatalog): Promise<number> {
  const m = catalog.manifest(args.positionals[0]);
  const hubUrl = args.hubUrl ?? ctx.hubEndpoint;
  const pr = progressPrinter(ctx);
  try {
    const res = await installModel(m, {
      modelsDir: ctx.modelsDir,
      ...(hubUrl ? { hubUrl } : {}),
      ...(ctx.hfToken ? { accessToken: ctx.hfToken } : {}),
      ...(args.revision ? { revision: args.revision } : {}),
      force: args.force,
      signal: ctx.signal,
      onProgress: pr.onProgress,
      ...(ctx.retryDelayMs !== undefined ? { retryDelayMs: ctx.retryDelayMs } : {}),
    });
    pr.end();
    const kept = res.skipped.length ? `, ${res.skipped.length} already in place` : '';
    ctx.stdout.write(
      `${m.id} installed in ${res.dir} (revision ${res.revision}, ${res.files.length} files, ${formatBytes(res.transferredBytes)} downloaded${kept})\n`,
    );
    if (m.licenseUrl || m.license) ctx.stdout.write(`licence: ${m.license}${m.licenseUrl ? ` (${m.licenseUrl})` : ''}\n`);
    return 0;
  } finally {
    pr.end();
  }
}

async function importCmd(args: ModelsArgs, ctx: ModelsContext, catalog: ModelCatalog): Promise<number> {
  const m = catalog.manifest(args.positionals[0]);
  const pr = progressPrinter(ctx);
  const res = await importModel(m, path.resolve(args.positionals[1]), { modelsDir: ctx.modelsDir, onProgress: pr.onProgress }).finally(pr.end);
  const unchecked = res.files.filter((f) => f.checkedAgainst === 'none').map((f) => f.path);
  ctx.stdout.write(`${m.id} imported into ${res.dir} (${res.files.length} files, ${formatBytes(res.transferredBytes)})\n`);
  if (unchecked.length) {
    ctx.stdout.write(
      `note: ${unchecked.length} file(s) had no known sha256 to compare with (recorded in the lock for later verify): ${unchecked.join(', ')}\n`,
    );
  }
  return 0;
}

async function verify(args: ModelsArgs, ctx: ModelsContext, catalog: ModelCatalog): Promise<number> {
  let ids = args.positionals;
  if (ids.length === 0) {
    ids = (await catalog.list()).filter((s) => s.distribution !== 'npm' && s.state !== 'missing').map((s) => s.id);
    if (ids.length === 0) {
      ctx.stdout.write('no installed models to verify\n');
      return 0;
    }
  }
  let bad = 0;
  for (const id of ids) {
    const pr = progressPrinter(ctx);
    const r = await verifyModel(catalog.manifest(id), { modelsDir: ctx.modelsDir, onProgress: pr.onProgress }).finally(pr.end);
    const failed = r.files.filter((f) => !f.ok);
    if (failed.length === 0) {
      const unrecorded = r.files.filter((f) => f.problem === 'unrecorded').length;
      ctx.stdout.write(
        `${id}: ok (${r.files.length} files${unrecorded ? `, ${unrecorded} without a recorded sha256` : ''}${r.lock ? '' : ', no lock file'})\n`,
      );
      continue;
    }
    bad++;
    ctx.stdout.write(`${id}: ${failed.length} problem(s)\n`);
    for (const f of failed) {
      const detail =
        f.problem === 'checksum'
          ? `sha256 ${f.actual}, expected ${f.expected}`
          : f.problem === 'size'
            ? `${f.actual} bytes, expected ${f.expected}`
            : 'missing';
      ctx.stdout.write(`  ${f.path}: ${detail}\n`);
    }
    ctx.stdout.write(`  repair with: adforge models install ${id}\n`);
  }
  return bad === 0 ? 0 : 1;
}

async function remove(args: ModelsArgs, ctx: ModelsContext, catalog: ModelCatalog): Promise<number> {
  const m = catalog.manifest(args.positionals[0]);
  const r = await removeModel(m, { modelsDir: ctx.modelsDir });
  ctx.stdout.write(`${m.id} removed (${r.removed.length} files, ${formatBytes(r.bytes)} freed)\n`);
  return 0;
}

/** Runs one `adforge models …` call; returns the exit code. Expected failures are printed, not thrown. */
export async function runModelsCommand(args: ModelsArgs, ctx: ModelsContext): Promise<number> {
  if (args.help) {
    ctx.stdout.write(`${MODELS_USAGE}\n`);
    return 0;
  }
  const { catalog, errors } = await createCatalog({ modelsDir: ctx.modelsDir, manifestDirs: [path.join(ctx.resourcesDir, 'models'), ctx.modelsDir] });
  try {
    switch (args.sub) {
      case 'list':
        return await list(args, ctx, catalog, errors);
      case 'install':
        return await install(args, ctx, catalog);
      case 'import':
        return await importCmd(args, ctx, catalog);
      case 'verify':
        return await verify(args, ctx, catalog);
      case 'remove':
        return await remove(args, ctx, catalog);
    }
  } catch (err) {
    if (ctx.signal?.aborted) {
      ctx.stderr.write(
        `adforge: stopped. Finished files stay in place and unfinished downloads are kept as .part files; run the same command again to resume.\n`,
      );
      return 130;
    }
    if (isModelError(err)) {
      ctx.stderr.write(`adforge: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
