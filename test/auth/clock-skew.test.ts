/**
 * Clock-skew bounds: `exp`, `nbf` and `iat` are honoured with a tolerance of
 * JWT_CLOCK_TOLERANCE_SECONDS (default 30 s, at most 300 s) and not one second more — a token
 * issued too far in the future is refused like an expired one — over HTTP, with real tokens.
 */
import { loadConfig } from '../../src/config';
import { startTestApi, TestApi } from '../support/harness';

let api: TestApi;
let strict: Awaited<ReturnType<TestApi['startAnother']>>;

beforeAll(async () => {
  api = await startTestApi();
  strict = await api.startAnother({ JWT_CLOCK_TOLERANCE_SECONDS: '0' });
});
afterAll(() => api?.close());

const now = () => Math.floor(Date.now() / 1000);
const ME = '{ me { subject } }';

/** The status a server answers `me` with for a token carrying these time claims. */
async function statusFor(claims: Record<string, number>, gql = api.gql): Promise<number> {
  const token = await api.token('gp-jansen', { claims });
  const res = await gql({ token }, ME);
  if (res.status === 200) expect(res.body.data.me.subject).toBe('gp-jansen');
  else expect(res.body.data).toBeUndefined();
  return res.status;
}

describe('default tolerance (30 s)', () => {
  // A margin of 10 s either side of the bound keeps the tests independent of timing.
  test.each([
    ['iat 20 s in the future (a fast IdP clock) is accepted', () => ({ iat: now() + 20, exp: now() + 600 }), 200],
    ['iat 40 s in the future is refused', () => ({ iat: now() + 40, exp: now() + 600 }), 401],
    ['iat an hour in the future is refused', () => ({ iat: now() + 3600, exp: now() + 7200 }), 401],
    ['iat a day in the future is refused even with a longer exp', () => ({ iat: now() + 86400, exp: now() + 90000 }), 401],
    ['exp 20 s ago (a slow API clock) is accepted', () => ({ iat: now() - 600, exp: now() - 20 }), 200],
    ['exp 40 s ago is refused', () => ({ iat: now() - 600, exp: now() - 40 }), 401],
    ['nbf 20 s ahead is accepted', () => ({ nbf: now() + 20 }), 200],
    ['nbf 40 s ahead is refused', () => ({ nbf: now() + 40 }), 401],
    ['iat after exp is refused', () => ({ iat: now() - 10, exp: now() - 20 }), 401],
  ])('%s', async (_name, claims, status) => {
    expect(await statusFor(claims())).toBe(status);
  });
});

describe('JWT_CLOCK_TOLERANCE_SECONDS=0', () => {
  test.each([
    ['iat 10 s in the future is refused', () => ({ iat: now() + 10, exp: now() + 600 }), 401],
    ['exp 10 s ago is refused', () => ({ iat: now() - 600, exp: now() - 10 }), 401],
    ['nbf 10 s ahead is refused', () => ({ nbf: now() + 10 }), 401],
    ['a token valid now is accepted', () => ({ iat: now() - 1, exp: now() + 600 }), 200],
  ])('%s', async (_name, claims, status) => {
    expect(await statusFor(claims(), strict.gql)).toBe(status);
  });
});

test('the tolerance itself is bounded: 0 to 300 seconds', () => {
  const base = { ...process.env, NODE_ENV: 'test' };
  for (const bad of ['301', '3600', '-1', 'abc', '1e9']) {
    expect(() => loadConfig({ ...base, JWT_CLOCK_TOLERANCE_SECONDS: bad })).toThrow(/JWT_CLOCK_TOLERANCE_SECONDS/);
  }
  expect(loadConfig({ ...base, JWT_CLOCK_TOLERANCE_SECONDS: '300' }).clockToleranceSeconds).toBe(300);
  expect(loadConfig(base).clockToleranceSeconds).toBe(30);
});
