/**
 * A small structured logger: one JSON line per event. Callers pass ids, codes and timings,
 * never request bodies or clinical text.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(event: string, data?: Record<string, unknown>): void;
  info(event: string, data?: Record<string, unknown>): void;
  warn(event: string, data?: Record<string, unknown>): void;
  error(event: string, data?: Record<string, unknown>): void;
}

/** A logger writing JSON lines to stdout (stderr for warnings and errors) at or above `level`. */
export function createLogger(level: LogLevel): Logger {
  const write = (at: Exclude<LogLevel, 'silent'>, event: string, data?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return;
    const line = JSON.stringify({ t: new Date().toISOString(), level: at, event, ...data });
    (ORDER[at] >= ORDER.warn ? process.stderr : process.stdout).write(line + '\n');
  };
  return {
    debug: (e, d) => write('debug', e, d),
    info: (e, d) => write('info', e, d),
    warn: (e, d) => write('warn', e, d),
    error: (e, d) => write('error', e, d),
  };
}

/**
 * Describes an unknown error for a log line: its name, code and the stack's frames. Never its
 * message, which may quote the data that caused it (a database cast error quotes the value).
 */
export function describeError(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 6).map((line) => line.trim());
    return { error: err.name, code: (err as { code?: unknown }).code, stack: frames.join(' | ') };
  }
  return { error: typeof err };
}
