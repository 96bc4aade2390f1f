/**
 * Structured one-line JSON logs on stderr (pino; LOG_LEVEL, default info). Callers pass
 * operational facts only (request ids, codes, counts, roles): never patient data, subjects,
 * tokens or query variables. test/observability/logs.test.ts proves it for whole requests.
 */
import pino from 'pino';

type Fields = Record<string, string | number | boolean | null | undefined | readonly string[]>;

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
// LOG_LEVEL is read here rather than in config.ts: logging works before the configuration loads.
const level = LEVELS.has(process.env.LOG_LEVEL ?? '') ? process.env.LOG_LEVEL! : 'info';

/**
 * pino, writing synchronously to stderr (nothing is lost when the process exits on an error).
 * The redaction is a second line of defence: callers pass no such fields in the first place.
 */
const logger = pino(
  {
    level,
    messageKey: 'msg',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: ['authorization', 'token', 'jwt', 'variables', 'query', 'body', 'headers'], censor: '[redacted]' },
  },
  pino.destination({ fd: 2, sync: true }),
);

export const log = {
  info: (message: string, fields?: Fields) => logger.info(fields ?? {}, message),
  warn: (message: string, fields?: Fields) => logger.warn(fields ?? {}, message),
  error: (message: string, fields?: Fields) => logger.error(fields ?? {}, message),
  debug: (message: string, fields?: Fields) => logger.debug(fields ?? {}, message),
};

/**
 * An error message with the values it may quote taken out. PostgreSQL and drivers quote the
 * offending input ("invalid input syntax for type uuid: \"…\""), which may be a BSN or a name;
 * the SQLSTATE code (errorCode) keeps the message useful to an operator.
 */
function scrub(message: string): string {
  return message
    .slice(0, 300)
    .replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '[jwt]')
    .replace(/"[^"]*"|'[^']*'|`[^`]*`|\([^()]*\)=\([^()]*\)/g, '"…"')
    .replace(/\d{6,}/g, '…');
}

/** A description of an unexpected error that is safe to log: its class, its message without quoted values, its SQLSTATE; no stack. */
export function describeError(error: unknown): Fields {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { errorName: error.name, errorMessage: scrub(error.message), errorCode: typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined };
  }
  return { errorName: typeof error };
}

/**
 * Apollo Server's own messages (its `logger` option) as JSON lines of this logger, scrubbed like
 * any error message: they may quote a failing request's values.
 */
export const apolloLogger = {
  debug: (message?: unknown) => logger.debug({ source: 'apollo' }, scrub(String(message))),
  info: (message?: unknown) => logger.info({ source: 'apollo' }, scrub(String(message))),
  warn: (message?: unknown) => logger.warn({ source: 'apollo' }, scrub(String(message))),
  error: (message?: unknown) => logger.error({ source: 'apollo' }, scrub(String(message))),
};
