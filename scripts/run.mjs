// Runs a compiled entry point of the project, compiling first only when a source file changed
// since the last build (`npm run token` then starts in a fraction of a second). Usage:
//   node scripts/run.mjs dist/src/cli/token.js [args…]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.built');
const SOURCES = ['src', 'migrations', 'bench', 'test', 'tsconfig.json', 'package.json'];

function newestMtime(entry) {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

const built = fs.statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (SOURCES.some((s) => newestMtime(path.join(root, s)) > built)) {
  const startedAt = new Date();
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], { stdio: 'inherit' });
  fs.writeFileSync(stamp, '');
  fs.utimesSync(stamp, startedAt, startedAt); // edits made while compiling count as newer
}
const [entry, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], path.join(root, entry), ...args];
await import(pathToFileURL(path.join(root, entry)).href);
