/**
 * `npm run token -- SUBJECT [--purpose P] [--patient NUMBER] [--scope "CAT CAT"] [--ttl 15m]`
 * Prints only the token on stdout so `TOKEN=$(npm run -s token -- gp-jansen)` works; everything
 * meant for people goes to stderr.
 */
import { parseArgs } from 'node:util';
import { decodeJwt } from 'jose';
import { loadConfig } from '../config';
import { mintDevToken } from '../auth/mint';
import { DEMO_PRINCIPALS } from '../db/demo/directory';
import { purposesOf } from '../policy/vocabulary';

const VALUE_OPTIONS = ['purpose', 'patient', 'scope', 'ttl'] as const;

const USAGE = `Usage: npm run token -- SUBJECT [--purpose P] [--patient NUMBER] [--scope "CAT CAT"] [--ttl 15m]

Prints a signed DEVELOPMENT JWT for a demo principal (refused when NODE_ENV=production).
  --purpose P       purpose of use (default: the role's first allowed purpose)
  --patient NUMBER  bind the token to a patient, e.g. P-0001 (required for duty-hap-01)
  --scope "A B"     data categories that narrow the role, e.g. "IDENTITY LAB"
  --ttl 15m         lifetime: 30s, 15m, 2h, 1d; negative (-5m) for an already-expired token`;

/**
 * parseArgs reads `--ttl -5m` as two options; gluing a value-taking option to the argument
 * after it (`--ttl=-5m`) lets negative lifetimes through in both spellings.
 */
export function glueOptionValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name && (VALUE_OPTIONS as readonly string[]).includes(name) && i + 1 < argv.length) {
      out.push(`${arg}=${argv[++i]}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}

function directoryTable(): string {
  const rows = DEMO_PRINCIPALS.map((p) => [p.subject, p.role, purposesOf(p.role).join('|'), p.organisation ?? '—', p.note]);
  const header = ['SUBJECT', 'ROLE', 'PURPOSES', 'ORGANISATION', 'NOTE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function usage(): never {
  process.stderr.write(`${USAGE}\n\nDemo directory:\n${directoryTable()}\n`);
  process.exit(2);
}

async function main(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: glueOptionValues(argv),
    allowPositionals: true,
    options: {
      purpose: { type: 'string' },
      patient: { type: 'string' },
      scope: { type: 'string' },
      ttl: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) usage();
  if (positionals.length > 1) throw new Error(`One subject at a time, got: ${positionals.join(' ')}`);

  const config = loadConfig();
  const subject = positionals[0];
  const token = await mintDevToken(config, {
    subject,
    purpose: values.purpose,
    patient: values.patient,
    scope: values.scope,
    ttl: values.ttl,
  });
  process.stdout.write(token + '\n');

  const claims = decodeJwt(token);
  const exp = claims.exp ?? 0;
  const remaining = exp - Math.floor(Date.now() / 1000);
  const expires = `expires ${new Date(exp * 1000).toISOString()} (${remaining > 0 ? `in ${remaining}s` : 'already expired'})`;
  const bound = claims.patient ? `, patient ${String(claims.patient)}` : '';
  const scope = claims.scope ? `, scope "${String(claims.scope)}"` : '';
  const url = `http://localhost:${process.env.PORT || 4000}/graphql`;
  const again = ['npm', 'run', '-s', 'token', '--', ...argv].map(shellQuote).join(' ');
  process.stderr.write(
    `# ${subject}: ${String(claims.role)} / ${String(claims.purpose)}${bound}${scope}, ${expires} — try: ` +
      `TOKEN=$(${again}) && curl -s ${url} -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' ` +
      `-d '{"query":"{ me { subject role purpose categories } }"}'\n`,
  );
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

// Run as a program (directly, or through scripts/run.mjs, which names this file in argv[1]); not when imported by tests.
if (require.main === module || process.argv[1] === __filename) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
}
