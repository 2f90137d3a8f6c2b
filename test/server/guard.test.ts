// The request guard and error handlers on a bare Fastify app: what a hostile page, a client
// without its key, or a broken body gets back.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installErrorHandlers } from '../../src-main/server/error-handler';
import { hostnameOf, installGuard, isSameOrigin } from '../../src-main/server/guard';
import { installJsonParser } from '../../src-main/server/json-body';

let app: FastifyInstance | undefined;
afterEach(async () => app?.close());

async function makeApp(apiKey: string | null, host = '127.0.0.1', bodyLimit = 1024): Promise<FastifyInstance> {
  app = Fastify({ bodyLimit });
  installErrorHandlers(app, bodyLimit);
  installGuard(app, { host, apiKey });
  installJsonParser(app);
  app.post('/echo', async (req) => ({ got: req.body }));
  app.get('/ping', async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('host and origin guard', () => {
  it('accepts loopback Host headers and refuses other names with 403 (DNS rebinding)', async () => {
    const a = await makeApp(null);
    for (const host of ['127.0.0.1:8000', 'localhost:8000', 'localhost', '[::1]:8000']) {
      expect((await a.inject({ method: 'GET', url: '/ping', headers: { host } })).statusCode, host).toBe(200);
    }
    const r = await a.inject({ method: 'GET', url: '/ping', headers: { host: 'evil.example:8000' } });
    expect(r.statusCode).toBe(403);
    expect(r.json().detail).toMatch(/Host "evil\.example:8000" is not allowed/);
  });

  it('refuses a cross-site POST but allows same-origin POST and cross-origin GET', async () => {
    const a = await makeApp(null);
    const post = (origin: string) => a.inject({ method: 'POST', url: '/echo', headers: { host: '127.0.0.1:8000', origin }, payload: { a: 1 } });
    expect((await post('https://evil.example')).statusCode).toBe(403);
    expect((await post('null')).statusCode).toBe(403);
    expect((await post('http://127.0.0.1:9999')).statusCode).toBe(403);
    expect((await post('http://127.0.0.1:8000')).statusCode).toBe(200);
    const get = await a.inject({ method: 'GET', url: '/ping', headers: { host: '127.0.0.1:8000', origin: 'https://evil.example' } });
    expect(get.statusCode).toBe(200);
    const ws = await a.inject({
      method: 'GET',
      url: '/ping',
      headers: { host: '127.0.0.1:8000', origin: 'https://evil.example', upgrade: 'websocket', connection: 'Upgrade' },
    });
    expect(ws.statusCode).toBe(403);
  });

  it('with a key: 401 without it; X-API-Key, Bearer and ?token= all work', async () => {
    const a = await makeApp('s3cret');
    const missing = await a.inject({ method: 'GET', url: '/ping' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().detail).toMatch(/API key/);
    expect((await a.inject({ method: 'GET', url: '/ping', headers: { 'x-api-key': 'wrong' } })).statusCode).toBe(401);
    expect((await a.inject({ method: 'GET', url: '/ping', headers: { 'x-api-key': 's3cret' } })).statusCode).toBe(200);
    expect((await a.inject({ method: 'GET', url: '/ping', headers: { authorization: 'Bearer s3cret' } })).statusCode).toBe(200);
    expect((await a.inject({ method: 'GET', url: '/ping?token=s3cret' })).statusCode).toBe(200);
  });

  it('parses host names and origins', () => {
    expect(hostnameOf('LocalHost:80')).toBe('localhost');
    expect(hostnameOf('[::1]:8000')).toBe('::1');
    expect(hostnameOf('127.0.0.1')).toBe('127.0.0.1');
    expect(isSameOrigin('http://localhost:8000', 'localhost:8000')).toBe(true);
    expect(isSameOrigin('http://localhost:8000', '127.0.0.1:8000')).toBe(false);
    expect(isSameOrigin('file://', '127.0.0.1:8000')).toBe(false);
  });
});

describe('error handlers', () => {
  it('malformed JSON -> 400 naming the body; over the limit -> 413; unknown route -> 404; all with detail', async () => {
    const a = await makeApp(null, '127.0.0.1', 1024);
    const bad = await a.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"a": 1,' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/^Malformed JSON body: .*JSON/);
    expect(bad.json().field).toBe('body');
    const poison = await a.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"__proto__": {"admin": true}}' });
    expect(poison.statusCode).toBe(400);
    const empty = await a.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toMatch(/^Malformed JSON body: /);
    const big = await a.inject({ method: 'POST', url: '/echo', payload: { pad: 'x'.repeat(5000) } });
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toMatch(/Request body too large/);
    const typ = await a.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'text/xml' }, payload: '<a/>' });
    expect(typ.statusCode).toBe(415);
    expect(typ.json().detail).toMatch(/application\/json/);
    const nf = await a.inject({ method: 'GET', url: '/nope?x=1' });
    expect(nf.statusCode).toBe(404);
    expect(nf.json()).toEqual({ detail: 'Not found: GET /nope' });
  });
});
