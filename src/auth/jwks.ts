/**
 * The identity provider's signing keys, fetched from JWKS_URL. jose caches the key set for
 * JWKS_CACHE_MAX_AGE_SECONDS and fetches it again at once when a token names a `kid` it does
 * not hold (at most once per JWKS_COOLDOWN_SECONDS): so a key the IdP adds is usable on its first
 * token, and a key the IdP removed stops verifying when the set is next fetched.
 */
import { createRemoteJWKSet } from 'jose';
import type { Config } from '../config';

/** A caching, rotating resolver over the key set at config.jwksUrl. */
export function remoteKeySet(config: Config): ReturnType<typeof createRemoteJWKSet> {
  if (!config.jwksUrl) throw new Error('JWKS_URL is not set');
  return createRemoteJWKSet(new URL(config.jwksUrl), {
    cacheMaxAge: config.jwksCacheMaxAgeSeconds * 1000,
    cooldownDuration: config.jwksCooldownSeconds * 1000,
    timeoutDuration: config.jwksTimeoutMs,
  });
}
