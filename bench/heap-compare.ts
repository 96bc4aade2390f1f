/**
 * `node dist/bench/heap-compare.js <before.heapsnapshot> <after.heapsnapshot> [--top 25]`
 *
 * Compares two V8 heap snapshots (as `npm run soak -- --heap-snapshots <dir>` writes them) by
 * constructor, as the Comparison view of the browser's developer tools does: objects and their
 * own (shallow) size per constructor in each, and the difference, largest growth first. A leak
 * shows as a constructor whose count keeps growing from snapshot to snapshot under the same load.
 */
import fs from 'node:fs';

interface Group {
  count: number;
  size: number;
}

function groups(file: string): { total: number; by: Map<string, Group> } {
  const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
  const fields: string[] = snapshot.snapshot.meta.node_fields;
  const types: string[] = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const nodes: number[] = snapshot.nodes;
  const strings: string[] = snapshot.strings;
  const by = new Map<string, Group>();
  let total = 0;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]];
    // Objects and closures by their constructor or function name; the rest by kind.
    const key = type === 'object' || type === 'closure' || type === 'native' ? `${strings[nodes[i + nameAt]]}${type === 'closure' ? ' (closure)' : ''}` : `(${type})`;
    const size = nodes[i + sizeAt];
    total += size;
    const g = by.get(key) ?? { count: 0, size: 0 };
    g.count += 1;
    g.size += size;
    by.set(key, g);
  }
  return { total, by };
}

const args = process.argv.slice(2);
const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 25;
const [beforeFile, afterFile] = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--top');
if (!beforeFile || !afterFile) {
  process.stderr.write('usage: heap-compare <before.heapsnapshot> <after.heapsnapshot> [--top 25]\n');
  process.exit(2);
}
const before = groups(beforeFile);
const after = groups(afterFile);
const mb = (n: number) => (n / 1048576).toFixed(2);
const rows = [...new Set([...before.by.keys(), ...after.by.keys()])].map((key) => {
  const b = before.by.get(key) ?? { count: 0, size: 0 };
  const a = after.by.get(key) ?? { count: 0, size: 0 };
  return { key, countBefore: b.count, countAfter: a.count, sizeBefore: b.size, sizeAfter: a.size, delta: a.size - b.size };
}).sort((x, y) => y.delta - x.delta);
process.stdout.write(`total shallow size: ${mb(before.total)} MB → ${mb(after.total)} MB (${mb(after.total - before.total)} MB)\n\n`);
process.stdout.write('| constructor | count before → after | MB before → after | Δ MB |\n|---|---:|---:|---:|\n');
for (const r of rows.slice(0, top)) {
  process.stdout.write(`| ${r.key.replace(/\|/g, '\\|').slice(0, 60)} | ${r.countBefore} → ${r.countAfter} | ${mb(r.sizeBefore)} → ${mb(r.sizeAfter)} | ${mb(r.delta)} |\n`);
}
