/**
 * The README's examples run verbatim against the demo: each ```sh block with a request is run by
 * bash in the checkout (its tokens come from `npm run -s token`, the CLI a reader uses) against
 * the real server over HTTP, only `localhost:4000` pointed at this test's server; and the inline
 * break-the-glass example is sent with the token command printed beside it. Each answer must be
 * what the README says it is, and carry no error it does not mention.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/config';
import { startTestApi, TestApi } from '../support/harness';

const README = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');
const run = promisify(execFile);
let api: TestApi;

beforeAll(async () => {
  // As `npm start` runs: external viewers (the README's GP and patients) only with trusted documents.
  api = await startTestApi({ TRUSTED_DOCUMENTS: 'external' });
});
afterAll(async () => {
  await api?.close();
});

/** The fenced ```sh blocks that send a request (the first block, the two install commands, is CI's own check). */
function requestBlocks(): string[] {
  return [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).filter((block) => block.includes('curl'));
}

async function bash(script: string): Promise<string> {
  const origin = new URL(api.server.url).host;
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script.replaceAll('localhost:4000', origin)], {
    cwd: projectRoot(),
    env: { ...process.env, PORT: new URL(api.server.url).port },
    timeout: 120_000,
  });
  return stdout;
}

/** Every error of `answer` is one `said` mentions, by its field and its code. */
function onlyMentionedErrors(answer: { errors?: Array<{ path?: string[]; extensions?: { code?: string } }> }, said: string): void {
  for (const error of answer.errors ?? []) {
    expect(said).toContain(String(error.extensions?.code));
    expect(said).toContain(String(error.path?.at(-1)));
  }
}

test('the README has request examples, each with its documented outcome', () => {
  const blocks = requestBlocks();
  expect(blocks.length).toBeGreaterThan(0);
  for (const block of blocks) expect(block).toMatch(/# → .+/);
});

test.each(requestBlocks().map((block) => [block.split('\n')[1] ?? block, block]))('README example: %s', async (_title, block) => {
  const said = block.match(/# → (.+)/)![1];
  const answer = JSON.parse(await bash(block));
  expect(answer.data).not.toBeNull();
  onlyMentionedErrors(answer, said);
  if (/diagnoses: null/.test(said)) {
    const patient = answer.data.patientByNumber;
    expect(patient.diagnoses).toBeNull();
    expect(answer.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: ['patientByNumber', 'diagnoses'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]));
    if (/lab results/.test(said)) expect(patient.labResults.length).toBeGreaterThan(0);
  }
}, 180_000);

test('the README break-the-glass example: its token command and its mutation open a session', async () => {
  const command = README.match(/`(npm run -s token -- clin-visser --purpose EMERGENCY)`/)![1];
  const mutation = README.match(/`(mutation \{ breakGlassByPatientNumber\([^`]+\})`/)![1];
  const token = (await bash(command)).trim();
  const answer = await api.gql({ token }, mutation);
  expect(answer.status).toBe(200);
  expect(answer.body.errors).toBeUndefined();
  expect(new Date(answer.body.data.breakGlassByPatientNumber.expiresAt).getTime()).toBeGreaterThan(Date.now());
}, 180_000);
