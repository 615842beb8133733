import { resolve } from 'node:path';
import type { LogLevel } from './log.js';

/** Everything the server reads from its environment, with the defaults a fresh clone runs on. */
export interface Config {
  port: number;
  host: string | undefined;
  dataDir: string;
  mongodbUri: string | undefined;
  /** When set, processes share Socket.io rooms and Yjs documents through this Redis server. */
  redisUrl: string | undefined;
  clientDir: string;
  sessionTtlHours: number;
  cookieSecure: boolean;
  trustProxy: boolean;
  logLevel: LogLevel;
  signInMaxFailures: number;
  /** Accounts that one client address may create per hour. */
  signUpsPerHour: number;
  /** The team's time zone: what "today" means for due dates and deadlines. */
  timeZone: string;
  /** Largest JSON body accepted, in bytes. */
  maxBodyBytes: number;
  /** Largest single WebSocket / Socket.io message accepted, in bytes. */
  maxMessageBytes: number;
  /** How long a brief's edits wait at most before the group commit writes them. */
  commitIntervalMs: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

function timeZone(name: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name;
  } catch {
    throw new Error(`TIME_ZONE must be an IANA time zone such as Europe/Paris, got "${name}"`);
  }
}

/** Reads the configuration; see README.md, "Configuration", for each variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const level = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(level)) throw new Error(`LOG_LEVEL must be debug, info, warn, error or silent`);
  return {
    port: int(env, 'PORT', 3000),
    host: env.HOST || undefined,
    dataDir: resolve(env.DATA_DIR || './data'),
    mongodbUri: env.MONGODB_URI || undefined,
    redisUrl: env.REDIS_URL || undefined,
    clientDir: resolve(env.CLIENT_DIR || './dist/client'),
    sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12),
    cookieSecure: bool(env, 'COOKIE_SECURE', false),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    logLevel: level,
    signInMaxFailures: int(env, 'SIGNIN_MAX_FAILURES', 10),
    signUpsPerHour: int(env, 'SIGNUPS_PER_HOUR', 20),
    timeZone: timeZone(env.TIME_ZONE || 'UTC'),
    maxBodyBytes: int(env, 'MAX_BODY_BYTES', 64 * 1024),
    maxMessageBytes: int(env, 'MAX_MESSAGE_BYTES', 2 * 1024 * 1024),
    commitIntervalMs: int(env, 'COMMIT_INTERVAL_MS', 40),
  };
}
