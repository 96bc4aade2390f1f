/**
 * GraphiQL for developers, offline: the page and every asset come from installed packages
 * (graphiql's UMD bundle and stylesheet, React 18's UMD builds) and this file, never from a CDN.
 * Development only: in production (or with GRAPHIQL=false) every /graphiql path is 404.
 * The page has a field for the bearer token and lists the demo principals with the command that
 * mints each one's token; it does not mint tokens itself.
 */
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { DEMO_PRINCIPALS } from '../db/demo/directory';
import { purposesOf } from '../policy/vocabulary';

export const GRAPHIQL_PATH = '/graphiql';

interface Asset {
  contentType: string;
  /** A file in an installed package, or the text itself. */
  file?: () => string;
  text?: string;
}

/** The directory of an installed package (its package.json), found from its entry point. */
function packageDir(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package ${name} not found`);
    dir = parent;
  }
  return dir;
}

const fromPackage = (name: string, file: string) => () => path.join(packageDir(name), file);

const APP_SCRIPT = `'use strict';
(function () {
  var input = document.getElementById('token');
  input.value = sessionStorage.getItem('graphiql-bearer') || '';
  // Without a token every request would be refused (UNAUTHENTICATED, the schema included), so the
  // page asks nothing of the server and says what to do instead.
  var NO_TOKEN = { errors: [{ message: 'Paste a development token in the field above (npm run -s token -- gp-jansen) and press "Use token".' }] };
  function fetcherFor(token) {
    if (!token) return function () { return Promise.resolve(NO_TOKEN); };
    return GraphiQL.createFetcher({ url: ${JSON.stringify('/graphql')}, headers: { authorization: 'Bearer ' + token } });
  }
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  function render() {
    var token = input.value.trim();
    sessionStorage.setItem('graphiql-bearer', token);
    root.render(React.createElement(GraphiQL, {
      key: token ? 'with-token' : 'without-token',
      fetcher: fetcherFor(token),
      schema: token ? undefined : null,
      defaultQuery: '# Paste a token above (see the demo principals), then run:\\n{\\n  me { subject role purpose categories }\\n}\\n',
    }));
  }
  input.addEventListener('change', render);
  document.getElementById('apply').addEventListener('click', render);
  render();
})();
`;

const ASSETS: Record<string, Asset> = {
  'react.js': { contentType: 'text/javascript; charset=utf-8', file: fromPackage('react', 'umd/react.production.min.js') },
  'react-dom.js': { contentType: 'text/javascript; charset=utf-8', file: fromPackage('react-dom', 'umd/react-dom.production.min.js') },
  'graphiql.js': { contentType: 'text/javascript; charset=utf-8', file: fromPackage('graphiql', 'graphiql.min.js') },
  'graphiql.css': { contentType: 'text/css; charset=utf-8', file: fromPackage('graphiql', 'graphiql.min.css') },
  'app.js': { contentType: 'text/javascript; charset=utf-8', text: APP_SCRIPT },
  'page.css': {
    contentType: 'text/css; charset=utf-8',
    text: `html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; }
body { display: flex; flex-direction: column; }
header { padding: 6px 12px; border-bottom: 1px solid #ddd; font-size: 13px; }
header input { width: 60%; font-family: monospace; }
details table { border-collapse: collapse; margin: 6px 0; }
details td, details th { border: 1px solid #ddd; padding: 2px 6px; text-align: left; }
#graphiql { flex: 1; min-height: 0; }`,
  },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(): string {
  const rows = DEMO_PRINCIPALS.map((p) => {
    const command = `npm run -s token -- ${p.subject}${p.role === 'DUTY_DOCTOR' ? ' --patient P-0001' : ''}`;
    return `<tr><td><code>${escapeHtml(p.subject)}</code></td><td>${escapeHtml(p.role)}</td><td>${escapeHtml(purposesOf(p.role).join(', '))}</td><td>${escapeHtml(p.note)}</td><td><code>${escapeHtml(command)}</code></td></tr>`;
  }).join('\n');
  const asset = (name: string) => `${GRAPHIQL_PATH}/assets/${name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Patient record API — GraphiQL (development)</title>
<link rel="stylesheet" href="${asset('graphiql.css')}">
<link rel="stylesheet" href="${asset('page.css')}">
</head>
<body>
<header>
  <label for="token">Bearer token</label>
  <input id="token" type="password" autocomplete="off" spellcheck="false" placeholder="paste a development token">
  <button id="apply" type="button">Use token</button>
  <details>
    <summary>Demo principals (development tokens: run the command in the repository)</summary>
    <table>
      <tr><th>subject</th><th>role</th><th>purposes</th><th>note</th><th>token</th></tr>
${rows}
    </table>
  </details>
</header>
<div id="graphiql">Loading GraphiQL…</div>
<script src="${asset('react.js')}"></script>
<script src="${asset('react-dom.js')}"></script>
<script src="${asset('graphiql.js')}"></script>
<script src="${asset('app.js')}"></script>
</body>
</html>
`;
}

// Scripts only from this server; GraphiQL's fonts are inlined as data: URIs and it sets inline styles.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Serves /graphiql and its assets; returns false for other paths. Call only when GraphiQL is enabled. */
export function serveGraphiql(pathname: string, res: ServerResponse): boolean {
  if (pathname !== GRAPHIQL_PATH && !pathname.startsWith(`${GRAPHIQL_PATH}/`)) return false;
  const headers = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY', 'content-security-policy': CSP };
  if (pathname === GRAPHIQL_PATH || pathname === `${GRAPHIQL_PATH}/`) {
    res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page());
    return true;
  }
  const name = pathname.slice(`${GRAPHIQL_PATH}/assets/`.length);
  const asset = pathname.startsWith(`${GRAPHIQL_PATH}/assets/`) ? ASSETS[name] : undefined;
  if (!asset || !Object.prototype.hasOwnProperty.call(ASSETS, name)) {
    res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found');
    return true;
  }
  const body = asset.text ?? fs.readFileSync(asset.file!());
  res.writeHead(200, { ...headers, 'content-type': asset.contentType, 'cache-control': 'public, max-age=3600' });
  res.end(body);
  return true;
}
