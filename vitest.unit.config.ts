import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// `npm run test:unit`: the fast loop. Pure and in-process tests only: no built server/worker, no
// spawned server or pipeline worker, no Chromium, no seed clients. Small ONNX graphs and IS-Net on
// small images stay in (they take well under a second each). `npm test` still runs everything.
//
// A test that builds dist/ or spawns the worker or a server is an integration test: put it under
// test/ (or name it *.int.test.ts), or add its file name to INTEGRATION below.
const INTEGRATION = [
  '**/*.int.test.ts',
  // Build dist/ and drive the real pipeline worker through the job lane.
  '**/job-runner.test.ts',
  '**/studio-service.test.ts',
  // Spawn the server (or the CLI) as a process, or boot the service with its worker.
  '**/api.test.ts',
  '**/bad-input.test.ts',
  '**/cli.test.ts',
  '**/security.test.ts',
  '**/sigkill.test.ts',
  '**/embedded-server.test.ts',
  '**/ipc-handlers.test.ts',
  '**/studio-family.test.ts',
];

export default defineConfig({
  test: {
    ...base.test,
    include: ['src-main/**/*.test.ts', 'test/server/**/*.test.ts', 'test/studio/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...INTEGRATION],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
