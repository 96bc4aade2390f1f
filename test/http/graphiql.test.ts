/**
 * GraphiQL, offline: in development /graphiql serves a page whose every script and
 * stylesheet comes from this server (installed packages), with a bearer-token field and the demo
 * principals; in production every /graphiql path is 404.
 */
import { DEMO_PRINCIPALS } from '../../src/db/demo/directory';
import { startTestApi, TestApi } from '../support/harness';
import { checkpointKeyFile, devPublicKeyFile } from '../support/processes';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let api: TestApi;
let origin: string;
let html: string;
let pageHeaders: Headers;

beforeAll(async () => {
  api = await startTestApi();
  origin = new URL(api.server.url).origin;
  const res = await fetch(`${origin}/graphiql`);
  expect(res.status).toBe(200);
  pageHeaders = res.headers;
  html = await res.text();
});
afterAll(() => api?.close());

/** Every src= and href= of the page. */
const references = () => [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/g)].map((m) => m[1]);

test('the page is HTML with a bearer-token field and every demo principal', () => {
  expect(pageHeaders.get('content-type')).toMatch(/^text\/html/);
  expect(html).toMatch(/<input[^>]+id="token"/);
  expect(html).toMatch(/Bearer token/);
  for (const p of DEMO_PRINCIPALS) expect(html).toContain(`<code>${p.subject}</code>`);
  expect(html).toContain('npm run -s token -- gp-jansen');
});

test('no external URL: every script and stylesheet is served by this server', () => {
  const refs = references();
  expect(refs.length).toBeGreaterThanOrEqual(6);
  for (const ref of refs) {
    expect(ref).toMatch(/^\/graphiql\/assets\//);
  }
  expect(html).not.toMatch(/https?:\/\/|\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
  // The browser is told the same: scripts only from this origin.
  expect(pageHeaders.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
});

test('every asset loads, from the installed packages', async () => {
  const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
  const styles = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);
  expect(scripts).toEqual(['/graphiql/assets/react.js', '/graphiql/assets/react-dom.js', '/graphiql/assets/graphiql.js', '/graphiql/assets/app.js']);
  for (const ref of [...scripts, ...styles]) {
    const res = await fetch(`${origin}${ref}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(ref.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
    expect((await res.text()).length).toBeGreaterThan(100);
  }
  const graphiql = await (await fetch(`${origin}/graphiql/assets/graphiql.js`)).text();
  expect(graphiql).toBe(fs.readFileSync(path.join(path.dirname(require.resolve('graphiql/package.json')), 'graphiql.min.js'), 'utf8'));
  const css = await (await fetch(`${origin}/graphiql/assets/graphiql.css`)).text();
  // Its fonts are inlined, so the stylesheet pulls nothing from the network either.
  expect(css).not.toMatch(/url\(\s*["']?https?:/);
  expect(css).not.toMatch(/@import/);
});

test('unknown assets and path tricks are 404', async () => {
  for (const p of ['/graphiql/assets/nope.js', '/graphiql/assets/../../package.json', '/graphiql/assets/%2e%2e%2fpackage.json', '/graphiql/assets/constructor']) {
    expect((await fetch(`${origin}${p}`)).status).toBe(404);
  }
});

test('in production every /graphiql path is 404', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graphiql-prod-'));
  try {
    const prod = await api.startAnother({
      NODE_ENV: 'production', HOST: '127.0.0.1', JWT_PUBLIC_KEY_FILE: await devPublicKeyFile(api.config, dir), RESEARCH_PSEUDONYM_KEY: 'y'.repeat(64), ACCESS_LOG_SIGNING_KEY_FILE: checkpointKeyFile(dir),
    });
    const prodOrigin = new URL(prod.url).origin;
    for (const p of ['/graphiql', '/graphiql/', '/graphiql/assets/graphiql.js', '/graphiql/assets/app.js']) {
      const res = await fetch(`${prodOrigin}${p}`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toMatch(/GraphiQL|React/);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
