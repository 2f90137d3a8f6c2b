// `npm start`: the desktop app where the Electron binary is installed; otherwise the same studio
// in the browser, served by the headless server (and says why).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let electronBinary = null;
try {
  const dir = dirname(require.resolve('electron/package.json'));
  if (existsSync(join(dir, 'path.txt')) && existsSync(join(dir, 'dist'))) electronBinary = require('electron');
} catch {
  electronBinary = null;
}

if (electronBinary) {
  const build = spawnSync(npm, ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const child = spawn(electronBinary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    'AdForge: the Electron binary is not installed on this machine (npm ci skips its download).\n' +
      '  Desktop app: run `npm run setup:native` on a connected machine, then `npm start` again.\n' +
      '  Starting the browser studio instead: open the URL printed below.\n',
  );
  const child = spawn(npm, ['run', 'serve', '--', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
