import { defineConfig } from 'vitest/config';

// Tests run against real images, real ONNX sessions and real server processes: generous timeouts,
// and files run one at a time because the machine has two cores and ONNX sessions use both.
export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
    reporters: ['default'],
    // Servers spawned by tests must not fight over the ComfyUI port; interop tests pick their own.
    env: { ADFORGE_COMFY_PORT: '0' },
  },
});
