// Layer check for AdForge Studio (docs/adr/0002). Run: `npm run lint:deps` (part of `npm run lint`).
//
// Imports point down only:
//   core → imaging → engines → pipeline → jobs → service → server → runtime → app (Electron) | cli
// store/ is infrastructure beside the ladder (imports core, imaging; used by jobs and above).
// config.ts is the one settings module: only runtime, app and cli read it (type-only imports are free).
// A layer may import itself and anything below it. Test files (*.test.ts) are not production code:
// the ladder binds production modules only, but no production module may import a test.
// Today (mid-restructure) this reports violations; the rules describe where the code is going.

/** The ladder, bottom first. A layer may import its own folder and the layers before it. */
const LADDER = ['core', 'imaging', 'engines', 'pipeline', 'jobs', 'service', 'server', 'runtime'];
/** Peers at the top: each may import the whole ladder, store and config, never each other. */
const TOPS = { app: '^src-main/app/', cli: '^src-main/(cli\\.ts$|cli/)' };
const STORE = '^src-main/store/';
const CONFIG = '^src-main/config(\\.ts$|/)';
const TEST_FILE = '\\.test(-d)?\\.tsx?$';

const dir = (layer) => `^src-main/${layer}/`;
const above = (i) => [...LADDER.slice(i + 1).map(dir), ...Object.values(TOPS)];

const ladderRules = LADDER.map((layer, i) => ({
  name: `layer-${layer}`,
  severity: 'error',
  comment: `src-main/${layer} may import only itself and ${LADDER.slice(0, i).join(', ') || 'nothing else in src-main'}${i >= LADDER.indexOf('jobs') ? ' (and store)' : ''}; never a layer above it.`,
  from: { path: dir(layer), pathNot: TEST_FILE },
  to: { path: above(i) },
}));

const topRules = Object.entries(TOPS).map(([name, path]) => ({
  name: `${name}-not-to-${name === 'app' ? 'cli' : 'app'}`,
  severity: 'error',
  comment: 'app/ (Electron) and the CLI are peers over runtime/: neither imports the other.',
  from: { path, pathNot: TEST_FILE },
  to: { path: name === 'app' ? TOPS.cli : TOPS.app },
}));

module.exports = {
  forbidden: [
    ...ladderRules,
    ...topRules,
    {
      name: 'not-to-store-below-jobs',
      severity: 'error',
      comment:
        'store/ (SQLite, run folders, ZIP) is infrastructure used by jobs, service, server, runtime, app and cli; core, imaging, engines and pipeline stay free of it.',
      from: { path: ['^src-main/(core|imaging|engines|pipeline)/'], pathNot: TEST_FILE },
      to: { path: STORE },
    },
    {
      name: 'store-imports-core-imaging-only',
      severity: 'error',
      comment: 'store/ may import only core/ and imaging/ from src-main.',
      from: { path: STORE, pathNot: TEST_FILE },
      to: { path: '^src-main/', pathNot: ['^src-main/(core|imaging|store)/'] },
    },
    {
      name: 'config-only-from-composition',
      severity: 'error',
      comment: 'Settings are read once, in config.ts, by runtime/, app/ and cli; everything else receives plain values. Type-only imports are fine.',
      from: { path: '^src-main/', pathNot: ['^src-main/(runtime|app|cli)/', '^src-main/cli\\.ts$', CONFIG, TEST_FILE] },
      to: { path: CONFIG, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'config-is-a-leaf',
      severity: 'error',
      comment: 'config.ts reads env and flags into plain values; it may use core/, imaging/ and engines/ vocabulary, nothing above.',
      from: { path: CONFIG },
      to: { path: '^src-main/', pathNot: ['^src-main/(core|imaging|engines)/', CONFIG] },
    },
    {
      name: 'no-src-main-strays',
      severity: 'error',
      comment: 'Every src-main module lives in a layer folder; only cli.ts and config.ts sit at the top.',
      from: { path: '^src-main/[^/]+$', pathNot: ['^src-main/(cli|config)\\.ts$', TEST_FILE] },
      to: { dependencyTypesNot: ['core'] },
    },
    {
      name: 'app-not-to-server',
      severity: 'error',
      comment: 'app/ boots servers through runtime/ (the composition root), never by importing server/.',
      from: { path: TOPS.app },
      to: { path: dir('server') },
    },
    {
      name: 'electron-only-in-app-and-preload',
      severity: 'error',
      comment: 'Only src-main/app/ and the preload may import electron; the rest runs under plain Node, in tests and in the browser.',
      from: { path: '^(src-main|src-preload|src-renderer/src)/', pathNot: ['^src-main/app/', '^src-preload/(?!contract)', TEST_FILE] },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'preload-imports-core-only',
      severity: 'error',
      comment: 'src-preload/ may import only itself and src-main/core/.',
      from: { path: '^src-preload/' },
      to: { path: '^(src-main|src-renderer|test|e2e|bench|scripts)/', pathNot: '^src-main/core/' },
    },
    {
      name: 'main-not-to-preload',
      severity: 'error',
      comment: 'In src-main only app/ may import the preload, and only its contract.',
      from: { path: '^src-main/', pathNot: TEST_FILE },
      to: { path: '^src-preload/', pathNot: '^src-preload/contract' },
    },
    {
      name: 'only-app-to-preload-contract',
      severity: 'error',
      comment: 'The IPC contract belongs to app/ (handlers) and the renderer; the rest of src-main speaks core/ types.',
      from: { path: '^src-main/', pathNot: ['^src-main/app/', TEST_FILE] },
      to: { path: '^src-preload/contract' },
    },
    {
      name: 'renderer-imports-core-and-contract-only',
      severity: 'error',
      comment: 'src-renderer/src may import only itself, src-main/core/, src-preload/contract* and npm packages (no Node built-ins).',
      from: { path: '^src-renderer/src/' },
      to: { pathNot: ['^src-renderer/src/', '^src-main/core/', '^src-preload/contract', '^node_modules/'] },
    },
    {
      name: 'production-not-to-tests',
      severity: 'error',
      comment: 'Production code never imports test/, e2e/, bench/ or *.test.ts files; test helpers live in test/helpers.',
      from: { path: '^(src-main|src-preload|src-renderer/src)/', pathNot: TEST_FILE },
      to: { path: ['^(test|e2e|bench)/', TEST_FILE] },
    },
    {
      name: 'main-not-to-dev-dependencies',
      severity: 'error',
      comment: 'The server bundle ships without devDependencies: main-process code uses "dependencies" only (electron aside).',
      from: { path: '^src-main/', pathNot: TEST_FILE },
      to: { dependencyTypes: ['npm-dev'], pathNot: '^node_modules/electron/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No module cycles (type-only cycles aside: they vanish at run time).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'No cycles between folders either (e.g. engines/onnx ↔ engines/segment), types included.',
      scope: 'folder',
      from: { path: '^(src-main|src-preload|src-renderer/src)/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (a moved file leaves no dangling import behind).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Tests (co-located *.test.ts, test/, e2e/, bench/) stay in the graph as leaves: an import *of* a test
    // is seen (production-not-to-tests), but a test's own imports are not followed, so a test that
    // reaches up into a harness (pipeline/x.test.ts → test/ocr → pipeline) makes no folder cycle.
    doNotFollow: { path: ['node_modules', TEST_FILE, '^(test|e2e|bench)/'] },
    // Build output and caches (e.g. a tool cache in src-main/node_modules/). Not the root node_modules/:
    // excluding it would hide npm imports from the electron and devDependency rules.
    exclude: { path: ['/node_modules/', '^(dist|out|data|coverage|test-results)/'] },
    // See type-only imports too (so layering covers types; config's rule exempts them explicitly).
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
