// Lint config: typescript-eslint recommended on all project code; React hooks rules on the studio UI;
// generated output ignored. Layering (which folder may import which) is checked by dependency-cruiser
// (.dependency-cruiser.cjs, `npm run lint:deps`), formatting by Prettier (`npm run format:check`).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'data/**', 'coverage/**', 'test-results/**', '**/*.d.ts', 'test/clients/seed_client.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        fetch: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        setImmediate: 'readonly',
        window: 'readonly',
        document: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // CommonJS config files (.dependency-cruiser.cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
  {
    // Only src-main/app may import electron (the rest runs under plain Node and in tests).
    // dependency-cruiser checks the same (electron-only-in-app-and-preload); this one shows in the editor.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/app/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src-main/app/ may import electron.' }] }],
    },
  },
  {
    // The studio UI: rules of hooks, exhaustive deps and the React Compiler checks of eslint-plugin-react-hooks.
    files: ['src-renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  // Typed rules (type information from the matching tsconfig through projectService): the promise
  // mistakes that lose errors or stall a request. require-await and no-unnecessary-type-assertion
  // were measured too (51 and 26 hits, mostly async route handlers returning values) and left off.
  {
    files: ['src-main/**/*.ts', 'src-preload/**/*.ts', 'src-renderer/src/**/*.{ts,tsx}', 'test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
);
