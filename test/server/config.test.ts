// Config resolution: what a user typing flags or setting env vars gets, and the refusal to expose
// the server on the network without a key.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, isLoopbackHost, resolveConfig, type ConfigFlags } from '../../src-main/config';

const base = (flags: ConfigFlags = {}, env: Record<string, string> = {}) =>
  resolveConfig({ flags, env, cwd: '/work/here', appRoot: '/opt/adforge', workerScript: '/opt/adforge/dist/worker.js' });

describe('resolveConfig', () => {
  it('uses the embedded defaults: 127.0.0.1:8000, ./data, 64 MiB, 40 MP, bundled + user fonts', () => {
    const c = base();
    expect(c).toMatchObject({ port: 8000, host: '127.0.0.1', apiKey: null, bodyLimit: 64 * 1024 * 1024, maxPixels: 40_000_000, comfyPort: 8188 });
    expect(c.dataDir).toBe(path.resolve('/work/here/data'));
    expect(c.modelsDir).toBe('/opt/adforge/models');
    expect(c.fontDirs).toEqual({ bundled: '/opt/adforge/fonts', user: path.resolve('/work/here/data/fonts') });
  });

  it('env overrides defaults and flags override env', () => {
    const env = { ADFORGE_PORT: '9001', ADFORGE_HOST: 'localhost', ADFORGE_DATA_DIR: '/srv/ad', ADFORGE_API_KEY: 'envkey' };
    expect(base({}, env)).toMatchObject({ port: 9001, host: 'localhost', dataDir: '/srv/ad', apiKey: 'envkey' });
    expect(base({ port: '0', 'data-dir': 'rel', 'api-key': 'flagkey' }, env)).toMatchObject({
      port: 0,
      dataDir: path.resolve('/work/here/rel'),
      apiKey: 'flagkey',
    });
  });

  it('retention: 30 days by default, configurable by env, 0/off keeps everything, nonsense is refused', () => {
    expect(base().retention).toEqual({ maxAgeDays: 30, maxJobs: null });
    expect(base({}, { ADFORGE_RETENTION_DAYS: '7', ADFORGE_MAX_JOBS: '500' }).retention).toEqual({ maxAgeDays: 7, maxJobs: 500 });
    expect(base({}, { ADFORGE_RETENTION_DAYS: 'off' }).retention.maxAgeDays).toBeNull();
    expect(() => base({}, { ADFORGE_MAX_JOBS: '-3' })).toThrow(/ADFORGE_MAX_JOBS/);
    expect(base({ 'comfy-port': '0' }, { ADFORGE_COMFY_PORT: '9999' }).comfyPort).toBe(0);
  });

  it('rejects a port that is not an integer 0-65535, naming the source', () => {
    expect(() => base({ port: 'eighty' })).toThrow(/--port: port must be an integer/);
    expect(() => base({}, { ADFORGE_PORT: '70000' })).toThrow(/ADFORGE_PORT/);
  });

  it('refuses a non-loopback bind without an API key, and allows it with one', () => {
    expect(() => base({ host: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => base({ host: '0.0.0.0' })).toThrow(/Refusing to listen on 0\.0\.0\.0 without an API key/);
    expect(() => base({}, { ADFORGE_HOST: '192.168.1.20' })).toThrow(/API key/);
    expect(base({ host: '0.0.0.0', 'api-key': 'k' }).host).toBe('0.0.0.0');
    expect(base({ host: '::1' }).host).toBe('::1');
  });
});

describe('isLoopbackHost', () => {
  it('knows loopback names and addresses', () => {
    for (const h of ['127.0.0.1', '127.3.4.5', 'localhost', 'LOCALHOST', 'app.localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'example.com', 'localhost.evil.com', '128.0.0.1']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('resolves every other ADFORGE_* setting here: allowed hosts, worker priority, providers, test fault', () => {
    const c = base(
      {},
      { ADFORGE_ALLOWED_HOSTS: ' a.example , b.example,', ADFORGE_WORKER_NICE: '5', ADFORGE_PROVIDERS: 'WebGPU, cpu', ADFORGE_TEST_FAULT: 'crash' },
    );
    expect(c.extraHosts).toEqual(['a.example', 'b.example']);
    expect(c.workerNice).toBe(5);
    expect(c.providers).toEqual(['webgpu', 'cpu']);
    expect(c.testFault).toBe('crash');
    expect(base()).toMatchObject({ extraHosts: [], workerNice: 10, testFault: null, hfToken: null, vramBudgetGb: null, manifestDirs: ['/opt/adforge/models'] });
    expect(base({ 'models-dir': '/mnt/models' }, { ADFORGE_VRAM_GB: '20' })).toMatchObject({
      vramBudgetGb: 20,
      manifestDirs: ['/opt/adforge/models', '/mnt/models'],
    });
    expect(() => base({}, { ADFORGE_WORKER_NICE: 'fast' })).toThrow(ConfigError);
    expect(base().letteringGuard).toEqual({ minIou: 0.6, retries: 1 });
    expect(base({}, { ADFORGE_LETTERING_MIN_IOU: '0.7', ADFORGE_LETTERING_RETRIES: '3' }).letteringGuard).toEqual({ minIou: 0.7, retries: 3 });
    expect(() => base({}, { ADFORGE_LETTERING_MIN_IOU: '1.5' })).toThrow(ConfigError);
  });

  it("finds fonts and models in a packaged app's resources, and ADFORGE_ROOT overrides the app root", () => {
    const packaged = resolveConfig({
      flags: {},
      env: {},
      cwd: '/x',
      appRoot: '/app.asar',
      resourcesDir: '/res',
      defaultDataDir: '/home/u/.config/AdForge/data',
      workerScript: '/w.js',
    });
    expect(packaged.modelsDir).toBe('/res/models');
    expect(packaged.fontDirs.bundled).toBe('/res/fonts');
    expect(packaged.dataDir).toBe('/home/u/.config/AdForge/data');
    const rooted = base({}, { ADFORGE_ROOT: '/elsewhere' });
    expect(rooted.modelsDir).toBe('/elsewhere/models');
    expect(rooted.resourcesDir).toBe('/elsewhere');
  });
});

describe('request limits (issue 10: queues per family, graph bounds, JSON depth, WebSocket frames)', () => {
  it('have safe defaults, each settable by its own ADFORGE_* variable; nonsense is refused naming it', () => {
    const c = base();
    expect(c.maxQueue).toBe(256);
    expect(c.limits).toEqual({
      queue: { comfy: 100, studio: 50, bridge: 50, adgen: 50 },
      graph: { maxNodes: 500, maxDepth: 64, maxInputBytes: 65536, maxOutputs: 8 },
      jsonDepth: 64,
      wsMaxPayload: 65536,
    });
    const env = {
      ADFORGE_MAX_QUEUE: '40',
      ADFORGE_QUEUE_COMFY: '3',
      ADFORGE_QUEUE_STUDIO: '4',
      ADFORGE_QUEUE_BRIDGE: '5',
      ADFORGE_QUEUE_ADGEN: '6',
      ADFORGE_GRAPH_MAX_NODES: '1000',
      ADFORGE_GRAPH_MAX_DEPTH: '16',
      ADFORGE_GRAPH_MAX_INPUT_BYTES: '1024',
      ADFORGE_GRAPH_MAX_OUTPUTS: '2',
      ADFORGE_JSON_MAX_DEPTH: '32',
      ADFORGE_WS_MAX_PAYLOAD: '4096',
    };
    expect(base({}, env)).toMatchObject({
      maxQueue: 40,
      limits: {
        queue: { comfy: 3, studio: 4, bridge: 5, adgen: 6 },
        graph: { maxNodes: 1000, maxDepth: 16, maxInputBytes: 1024, maxOutputs: 2 },
        jsonDepth: 32,
        wsMaxPayload: 4096,
      },
    });
    expect(() => base({}, { ADFORGE_QUEUE_COMFY: '0' })).toThrow(/ADFORGE_QUEUE_COMFY/);
    expect(() => base({}, { ADFORGE_GRAPH_MAX_NODES: 'many' })).toThrow(/ADFORGE_GRAPH_MAX_NODES/);
    expect(() => base({}, { ADFORGE_MAX_QUEUE: '-1' })).toThrow(ConfigError);
  });
});
