// `npm run setup:native` — on a connected workstation, fetches what `npm ci` deliberately skips
// (package.json allowScripts): the Electron binary and onnxruntime-node's CUDA 12 provider.
// Offline it says so and exits 0 for each part it could not fetch, so nothing else breaks.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const only = process.argv.slice(2); // e.g. `npm run setup:native -- electron`
const want = (name) => only.length === 0 || only.includes(name);

function run(label, script, args, env) {
  console.log(`\n[setup:native] ${label} …`);
  const r = spawnSync(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, encoding: 'utf8' });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status === 0) {
    console.log(`[setup:native] ${label}: done.`);
    return true;
  }
  const offline = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|network/i.test(out);
  console.log(
    offline
      ? `[setup:native] ${label}: skipped — this machine cannot reach the download host (offline). AdForge keeps working without it; run this command again on a connected machine.`
      : `[setup:native] ${label}: failed (exit ${r.status}).\n${out.trim().split('\n').slice(-8).join('\n')}`,
  );
  return false;
}

let ok = true;
if (want('electron')) {
  const dir = dirname(require.resolve('electron/package.json'));
  if (existsSync(join(dir, 'dist'))) console.log('[setup:native] Electron binary already present.');
  // electron/install.js exits early when ELECTRON_SKIP_BINARY_DOWNLOAD is set; clear it here.
  else ok = run('Electron binary', join(dir, 'install.js'), [], { ELECTRON_SKIP_BINARY_DOWNLOAD: '' }) && ok;
}
if (want('cuda')) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    console.log('[setup:native] CUDA provider: only needed on linux/x64 (other platforms ship what they support).');
  } else {
    const dir = dirname(require.resolve('onnxruntime-node/package.json'));
    // onnxruntime-node 1.30's parser drops the value of --onnxruntime-node-install=cuda12 (it
    // returns undefined for any named manifest), and under `npm run` its script then takes itself
    // for a local dev install and exits 0 having fetched nothing. The older CUDA flag still maps to
    // the cuda12 manifest, and without npm's package variables the script really installs.
    ok =
      run('onnxruntime CUDA 12 provider', join(dir, 'script', 'install.js'), [], {
        ONNXRUNTIME_NODE_INSTALL: '',
        ONNXRUNTIME_NODE_INSTALL_CUDA: 'v12',
        npm_config_local_prefix: '',
        npm_package_json: '',
      }) && ok;
  }
}
console.log(ok ? '\n[setup:native] all requested parts are installed.' : '\n[setup:native] finished; see the lines above for what is missing.');
