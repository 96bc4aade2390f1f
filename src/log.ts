/**
 * Structured one-line JSON logs on stderr. Callers pass operational facts only (request ids,
 * codes, counts): never patient data, tokens or query variables.
 */
type Fields = Record<string, string | number | boolean | null | undefined>;

function write(level: string, message: string, fields?: Fields): void {
  process.stderr.write(JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields }) + '\n');
}

export const log = {
  info: (message: string, fields?: Fields) => write('info', message, fields),
  warn: (message: string, fields?: Fields) => write('warn', message, fields),
  error: (message: string, fields?: Fields) => write('error', message, fields),
};

/** A description of an unexpected error that is safe to log: its class and message, no stack or values. */
export function describeError(error: unknown): Fields {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message.slice(0, 300) };
  return { errorName: typeof error };
}
