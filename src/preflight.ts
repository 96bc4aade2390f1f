/**
 * What the server checks before it listens: every key a request may need is loaded now, by the
 * same loaders requests use, so a key that cannot be used stops the start-up with a sentence
 * saying which and why — instead of a server that listens and answers every request with 503.
 */
import type { Config } from './config';
import { ConfigError } from './config';
import { loadVerificationKey } from './auth/keys';
import { describeError, log } from './log';
import { loadIssuerKey } from './portal/issuer-key';
import { loadResearchKey } from './research/research-key';
import { loadCheckpointSigner } from './audit/tlog/signing-key';

/** Loads the token verification key, the GP-portal issuer key, the research key and the access log's checkpoint key; throws ConfigError naming each that fails. */
export async function checkStartup(config: Config): Promise<void> {
  const problems: string[] = [];
  const attempt = async (what: string, load: () => Promise<unknown>) => {
    try {
      await load();
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`);
    }
  };
  await attempt('token verification key', async () => {
    const key = await loadVerificationKey(config);
    if (typeof key === 'function' && config.jwksUrl) await checkKeySet(config.jwksUrl, key);
  });
  // Without a file, production issues no GP-portal tokens (and accepts none): a choice, not a fault.
  if (config.tokenIssuerPrivateKeyFile || !config.production) await attempt('GP-portal issuer key', () => loadIssuerKey(config));
  else log.info('GP-portal tokens are off: TOKEN_ISSUER_PRIVATE_KEY_FILE is not set, so none are issued or accepted');
  await attempt('research pseudonym key', () => loadResearchKey(config));
  // Without it no checkpoint is signed, so the log could not be verified against the database owner.
  await attempt('access log checkpoint key', async () => loadCheckpointSigner(config));
  if (problems.length > 0) throw new ConfigError(problems);
}

/**
 * One fetch of the identity provider's key set. An unreachable IdP does not stop the start-up
 * (it may be back in a minute, and a restart loop helps nobody): /readyz reports it until it is.
 */
async function checkKeySet(url: string, keySet: { reload(): Promise<void> }): Promise<void> {
  try {
    await keySet.reload();
  } catch (error) {
    log.warn('the identity provider\'s key set cannot be fetched yet; /readyz answers 503 until it can', { jwksUrl: url, ...describeError(error) });
  }
}
