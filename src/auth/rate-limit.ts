/**
 * Per-subject rate limiting (rate-limiter-flexible): each authenticated subject may send
 * RATE_LIMIT_REQUESTS requests per RATE_LIMIT_WINDOW_SECONDS; beyond that the server answers 429
 * with Retry-After before GraphQL runs. Counted after authentication, so the key is a verified
 * subject, not a claim anybody could write.
 *
 * Store: `memory` counts per process; with several replicas each counts on its own, so a subject
 * gets up to replicas × the limit. `postgres` keeps one counter per subject in the `rate_limit`
 * table (migration RateLimitAndRevocation) shared by every replica, at the cost of one upsert per
 * request; if PostgreSQL cannot be reached the limiter falls back to counting in memory.
 */
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Principal } from './principal';

export type RateLimitStore = 'memory' | 'postgres';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; limit: number };

export interface SubjectRateLimiter {
  /** Counts one request of the principal's subject. */
  consume(principal: Principal): Promise<RateDecision>;
}

const ALWAYS: SubjectRateLimiter = { consume: async () => ({ allowed: true }) };

/** The limiter the configuration asks for (RATE_LIMIT_REQUESTS=0 turns limiting off). */
export function createRateLimiter(config: Pick<Config, 'rateLimitRequests' | 'rateLimitWindowSeconds' | 'rateLimitStore'>, db: DataSource): SubjectRateLimiter {
  const points = config.rateLimitRequests;
  if (points === 0) return ALWAYS;
  const duration = config.rateLimitWindowSeconds;
  const memory = new RateLimiterMemory({ points, duration, keyPrefix: 'subject' });
  const limiter: RateLimiterAbstract = config.rateLimitStore === 'postgres'
    ? new RateLimiterPostgres({
      storeClient: db,
      storeType: 'typeorm',
      tableName: 'rate_limit',
      tableCreated: true,
      keyPrefix: 'subject',
      points,
      duration,
      insuranceLimiter: memory,
    })
    : memory;
  return {
    async consume(principal) {
      try {
        await limiter.consume(principal.subject, 1);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), limit: points };
        }
        throw rejection;
      }
    },
  };
}
