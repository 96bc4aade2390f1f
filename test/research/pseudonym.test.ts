/**
 * The research key and pseudonyms without a server: RESEARCH_PSEUDONYM_KEY is required in
 * production, development generates a marked key once, and pseudonyms are per study.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { PSEUDONYM, StudyPseudonyms } from '../../src/research/pseudonym';
import { devResearchKeyPath, loadResearchKey } from '../../src/research/research-key';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'research-key-'));
const PRODUCTION = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x', JWKS_URL: 'https://idp.example/jwks' };
const KEY = 'a'.repeat(16) + 'b'.repeat(16) + 'c'.repeat(16);

describe('RESEARCH_PSEUDONYM_KEY', () => {
  test('production refuses to start without it', () => {
    expect(() => loadConfig({ ...PRODUCTION, DATA_DIR: tempDir() })).toThrow(ConfigError);
    expect(() => loadConfig({ ...PRODUCTION, DATA_DIR: tempDir() })).toThrow(/RESEARCH_PSEUDONYM_KEY/);
  });

  test('a short key is refused everywhere', () => {
    expect(() => loadConfig({ ...PRODUCTION, DATA_DIR: tempDir(), RESEARCH_PSEUDONYM_KEY: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: tempDir(), RESEARCH_PSEUDONYM_KEY: 'short' })).toThrow(/at least 32/);
  });

  test('production uses the configured key and writes no development key', async () => {
    const config = loadConfig({ ...PRODUCTION, DATA_DIR: tempDir(), RESEARCH_PSEUDONYM_KEY: KEY });
    expect((await loadResearchKey(config)).toString('utf8')).toBe(KEY);
    expect(fs.existsSync(devResearchKeyPath(config))).toBe(false);
  });

  test('production never falls back to a development key, even with one on disk', async () => {
    const dev = loadConfig({ DATA_DIR: tempDir() });
    await loadResearchKey(dev);
    expect(fs.existsSync(devResearchKeyPath(dev))).toBe(true);
    await expect(loadResearchKey({ ...dev, production: true })).rejects.toThrow(/production/);
  });

  test('development generates a clearly marked key under dataDir/keys once and reuses it', async () => {
    const config = loadConfig({ DATA_DIR: tempDir() });
    const key = await loadResearchKey(config);
    const file = devResearchKeyPath(config);
    expect(file).toBe(path.join(config.dataDir, 'keys', path.basename(file)));
    expect(path.basename(file)).toMatch(/DEVELOPMENT-ONLY/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(key).toHaveLength(32);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(key.toString('hex'));
    expect((await loadResearchKey(config)).equals(key)).toBe(true);
  });
});

describe('StudyPseudonyms', () => {
  const key = Buffer.from(KEY);
  const patient = '0b8c5a0e-4f2d-4f7e-9d3e-1f6e2b3c4d5e';

  test('stable within a study, different across studies and keys, never the id itself', () => {
    const a = new StudyPseudonyms(key, 'study-A');
    expect(a.patient(patient)).toMatch(PSEUDONYM);
    expect(new StudyPseudonyms(key, 'study-A').patient(patient)).toBe(a.patient(patient));
    expect(new StudyPseudonyms(key, 'study-B').patient(patient)).not.toBe(a.patient(patient));
    expect(new StudyPseudonyms(Buffer.from(KEY.toUpperCase()), 'study-A').patient(patient)).not.toBe(a.patient(patient));
    expect(a.patient(patient)).not.toContain(patient.replace(/-/g, ''));
  });

  test('row ids live in their own domain: a row never shares a handle with a patient', () => {
    const a = new StudyPseudonyms(key, 'study-A');
    expect(a.row('diagnosis', patient)).not.toBe(a.patient(patient));
    expect(a.row('diagnosis', patient)).not.toBe(a.row('medication', patient));
  });

  test('an invalid study id is refused', () => {
    expect(() => new StudyPseudonyms(key, 'a\nb')).toThrow(/studyId/);
  });
});
