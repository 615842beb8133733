/**
 * The fuzzing engine: drives random y-websocket frames, Socket.io emits (and raw Engine.IO
 * packets) and raw HTTP requests at a running server with real clients, and after every batch
 * checks that the server still serves /healthz, that an honest "canary" on another case still
 * works (a brief edit round-trips between two WebsocketProviders, its Socket.io room still answers
 * and receives pushes), and at the end that the heap stayed bounded.
 *
 * Every failure names the seed; FUZZ_SEED=<seed> replays the same inputs in the same order.
 */
import { connect as netConnect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type * as Y from 'yjs';
import { briefDocName, DOC_CLOSE } from '../../shared/brief.js';
import { EVENTS } from '../../shared/events.js';
import { addMember, ApiClient, connectBrief, connectSocket, createCase, emitAck, signUp, synced } from '../helpers/clients.js';
import { waitFor } from '../helpers/factories.js';
import type { TestServer } from '../helpers/server.js';
import { CLIENT_EVENTS, genEnginePacket, genHttpCase, genSocketEmit, genYjsFrame, type HttpCase, type KnownIds, Rng, type RouteInfo } from './generators.js';

export interface FuzzOptions {
  url: string;
  seed: number;
  /** Iterations of each fuzzer (HTTP, Socket.io, y-websocket); raw Engine.IO gets a third of them. */
  iterations: number;
  /** Iterations between checks of health, the canary and the bounds. */
  batch?: number;
  maxMessageBytes?: number;
  maxBodyBytes?: number;
  /** Heap of the server in bytes, when it runs in this process (with a GC before reading). */
  heapUsed?: () => number;
  /** Allowed heap growth over the run, in MB (default 64; see MEMORY_BOUND_NOTE). */
  heapBoundMb?: number;
  /** Open documents and connections, when the server runs in this process. */
  hubStats?: () => { documents: number; connections: number };
  log?: (line: string) => void;
}

/**
 * Why 64 MB: the heap after a run holds what V8 keeps for itself (code, inline caches, pooled
 * buffers, sqlite's page cache is outside it) and moves by a few MB from run to run even after a
 * full GC. A leak per input (e.g. a document, connection or awareness state kept per frame) grows
 * it by far more across hundreds of iterations with 2 MB frames, so 64 MB separates the two.
 */
export const MEMORY_BOUND_NOTE = 'heapUsed after − before, both after a full GC, under heapBoundMb (64 MB by default)';

export interface FuzzResult {
  seed: number;
  iterations: number;
  failures: string[];
  counts: Record<string, number>;
  heapGrowthMb: number | null;
  ms: number;
}

const MAX_FAILURES = 25;

function describe(value: unknown, max = 160): string {
  let s: string;
  try {
    s = typeof value === 'string' ? JSON.stringify(value) : value instanceof Uint8Array ? `bytes[${value.length}] ${Buffer.from(value.slice(0, 24)).toString('hex')}` : JSON.stringify(value);
  } catch {
    s = String(value);
  }
  s ??= String(value);
  return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}

/** A raw HTTP exchange: bytes out as generated, status and body back; null status when the connection closed without an answer. */
function rawHttp(url: string, c: HttpCase, timeoutMs = 15_000): Promise<{ status: number | null; headers: Record<string, string>; body: string; hung: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const sock = netConnect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (hung: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const raw = Buffer.concat(chunks);
      const headEnd = raw.indexOf('\r\n\r\n');
      const head = raw.subarray(0, headEnd < 0 ? raw.length : headEnd).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      let body: Buffer = headEnd < 0 ? Buffer.alloc(0) : raw.subarray(headEnd + 4);
      if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
      resolve({ status: m ? Number(m[1]) : null, headers, body: body.toString('utf8'), hung });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    sock.on('data', (d) => chunks.push(d));
    sock.on('end', () => finish(false));
    sock.on('close', () => finish(false));
    sock.on('error', () => finish(false));
    sock.on('connect', () => {
      const head = `${c.method} ${c.target} HTTP/1.1\r\n${c.headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
      sock.write(Buffer.concat([Buffer.from(head, 'latin1'), c.body ?? Buffer.alloc(0)]));
    });
  });
}

function dechunk(body: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  while (i < body.length) {
    const eol = body.indexOf('\r\n', i);
    if (eol < 0) break;
    const size = parseInt(body.subarray(i, eol).toString('latin1'), 16);
    if (!size) break;
    out.push(body.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/** A brief WebSocket opened with a cookie, or the upgrade's refusal status. */
function openWs(url: string, path: string, cookie: string | undefined): Promise<{ ws: WebSocket } | { refused: number | null }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url.replace('http', 'ws') + path, { headers: cookie ? { cookie } : {}, maxPayload: 64 * 1024 * 1024 });
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? null });
      ws.terminate();
    });
    ws.once('error', () => resolve({ refused: null }));
  });
}

interface Canary {
  check(tag: string): Promise<void>;
  close(): void;
  caseId: string;
  users: Set<string>;
}

/** Two honest members on their own case: brief edits round-trip, the case room answers and is pushed to. */
async function startCanary(server: () => TestServer, presenceLeak: (who: string) => void): Promise<Canary> {
  const owner = await signUp(server, { name: 'Canary Owner' });
  const peer = await signUp(server, { name: 'Canary Peer' });
  const c = await createCase(owner, { title: 'Canary case' });
  await addMember(owner, c.id, peer, 'editor');
  const a = connectBrief(owner, c.id);
  const b = connectBrief(peer, c.id);
  await Promise.all([synced(a.provider), synced(b.provider)]);
  const users = new Set([owner.user!.id, peer.user!.id]);
  let socket = await connectSocket(peer);
  const joinRoom = async (s: Socket) => {
    s.on(EVENTS.presenceChanged, (p: { people: { userId: string }[] }) => {
      for (const person of p.people) if (!users.has(person.userId)) presenceLeak(person.userId);
    });
    const ack = await emitAck(s, EVENTS.caseJoin, { caseId: c.id });
    if (!ack.ok) throw new Error(`canary could not join its room: ${JSON.stringify(ack)}`);
  };
  await joinRoom(socket);
  let n = 0;
  const text = (doc: Y.Doc) => doc.getText('canary').toString();
  return {
    caseId: c.id,
    users,
    async check(tag) {
      n++;
      const mark = `[${tag}#${n}]`;
      a.doc.getText('canary').insert(text(a.doc).length, mark);
      await waitFor(() => text(b.doc).endsWith(mark), { timeoutMs: 8000, what: `the canary's brief edit ${mark} to reach the other member` });
      if (text(a.doc) !== text(b.doc)) throw new Error(`the canary's two copies of the brief differ: ${describe(text(a.doc))} vs ${describe(text(b.doc))}`);
      if (socket.disconnected) throw new Error("the canary's Socket.io connection was dropped");
      const ack = await emitAck(socket, EVENTS.caseJoin, { caseId: c.id });
      if (!ack.ok) throw new Error(`the canary's case room refused it: ${JSON.stringify(ack)}`);
      const pushed = new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('the canary did not receive case:changed after editing its case')), 8000);
        socket.once(EVENTS.caseChanged, () => {
          clearTimeout(t);
          resolve();
        });
      });
      const res = await owner.patch(`/api/cases/${c.id}`, { title: `Canary case ${n}` });
      if (res.status !== 200) throw new Error(`the canary could not edit its case: ${res.status} ${JSON.stringify(res.body)}`);
      await pushed;
      const brief = await peer.get(`/api/cases/${c.id}`);
      if (brief.status !== 200) throw new Error(`the canary could not read its case: ${brief.status}`);
    },
    close() {
      socket.close();
      a.provider.destroy();
      b.provider.destroy();
    },
  };
}

/** Runs the three fuzzers against `url` and returns every failure found (each naming the seed). */
export async function runFuzz(opts: FuzzOptions): Promise<FuzzResult> {
  const started = Date.now();
  const { url, seed, iterations } = opts;
  const batch = opts.batch ?? 50;
  const maxMessageBytes = opts.maxMessageBytes ?? 2 * 1024 * 1024;
  const maxBodyBytes = opts.maxBodyBytes ?? 65536;
  const log = opts.log ?? (() => undefined);
  /** FUZZ_TRACE=1: a line before every step, to find where a run stops. */
  const trace = process.env.FUZZ_TRACE === '1';
  const failures: string[] = [];
  const counts: Record<string, number> = {};
  const count = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
  const fail = (where: string, what: string) => {
    if (failures.length < MAX_FAILURES) failures.push(`[seed ${seed}] ${where}: ${what} (replay: FUZZ_SEED=${seed} FUZZ_ITERATIONS=${iterations})`);
    else if (failures.length === MAX_FAILURES) failures.push(`[seed ${seed}] … more failures left out`);
  };
  const server = () => ({ url }) as TestServer;

  // Anything written to console.error meanwhile is an error the server did not handle (its own
  // logger is silent in tests, and logs through LOG_LEVEL otherwise).
  const consoleError = console.error;
  console.error = (...args: unknown[]) => {
    fail('console.error', args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : describe(a))).join(' '));
  };
  const heapBefore = opts.heapUsed?.() ?? null;
  const statsBefore = opts.hubStats?.() ?? null;

  // The fuzzing member (owner of its own case) and the canary (another case, out of its reach).
  const fuzzer = await signUp(server, { name: 'Fuzz Member' });
  const own = await createCase(fuzzer, { title: 'Fuzz case' });
  const canary = await startCanary(server, (who) => fail('canary', `a stranger (${who}) appeared in the canary's case room`));
  const otherUser = [...canary.users][0]!;
  const ids: KnownIds = { ownCaseId: own.id, otherCaseId: canary.caseId, ownUserId: fuzzer.user!.id, otherUserId: otherUser };
  // The HTTP fuzzer has its own account: a random sign-out ends only its session (it signs in again).
  const httpUser = await signUp(server, { name: 'Http Fuzzer' });
  const httpCase = await createCase(httpUser, { title: 'Http fuzz case' });
  const seen: string[] = [];
  // It also edits the fuzzed brief's case: what odd content the brief holds meets the routes that read it.
  await addMember(fuzzer, own.id, httpUser, 'editor');
  const httpIds: KnownIds = { ...ids, ownCaseId: httpCase.id, ownUserId: httpUser.user!.id, seen, moreCaseIds: [own.id] };

  type Operation = {
    security?: unknown[];
    requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
    parameters?: { name: string; in: string; schema: Record<string, unknown> }[];
  };
  const openapi = (await new ApiClient(server).get('/api/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
  const routes: RouteInfo[] = Object.entries(openapi.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method,
      path,
      auth: (op.security ?? []).length > 0,
      hasBody: op.requestBody !== undefined,
      ...(op.requestBody ? { bodySchema: op.requestBody.content['application/json']?.schema ?? {} } : {}),
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
    })),
  );

  const rngHttp = new Rng(seed ^ 0x1111);
  const rngSock = new Rng(seed ^ 0x2222);
  const rngWs = new Rng(seed ^ 0x3333);
  const rngEngine = new Rng(seed ^ 0x4444);

  // --- y-websocket -------------------------------------------------------------------------
  const docPath = `/yjs/${encodeURIComponent(briefDocName(own.id))}`;
  let ws: WebSocket | null = null;
  let wsClosed: Promise<[number, string]> | null = null;
  const ACCEPTED_CLOSES = new Set<number>([1002, 1003, 1007, 1009, DOC_CLOSE.malformedMessage, DOC_CLOSE.editRefused, DOC_CLOSE.tooFarBehind]);
  async function wsConnection(i: number): Promise<WebSocket | null> {
    if (ws && ws.readyState === ws.OPEN) return ws;
    const opened = await openWs(url, docPath, fuzzer.cookie);
    if (!('ws' in opened)) {
      fail(`ws #${i}`, `the fuzzing member's own brief refused its upgrade (${opened.refused})`);
      return null;
    }
    ws = opened.ws;
    const current = ws;
    wsClosed = new Promise((resolve) => current.once('close', (code, reason) => resolve([code, reason.toString()])));
    current.on('error', () => undefined);
    return ws;
  }
  async function wsIteration(i: number): Promise<void> {
    const frame = genYjsFrame(rngWs, maxMessageBytes, 'Fuzz Member');
    // Now and then: a brief out of reach, or a name that is none, must be refused at the upgrade.
    if (rngWs.chance(0.05)) {
      const path = rngWs.pick([`/yjs/${encodeURIComponent(briefDocName(canary.caseId))}`, '/yjs/case:nope:brief', '/yjs/%zz', `/yjs/${encodeURIComponent(`case:${own.id}:secrets`)}`, '/yjs/', '/yjs/../api/cases']);
      const other = await openWs(url, path, fuzzer.cookie);
      count('ws:upgrade-refusal');
      if ('ws' in other) {
        other.ws.terminate();
        fail(`ws #${i}`, `the upgrade to ${path} was accepted for a non-member`);
      } else if (other.refused !== null && (other.refused < 400 || other.refused >= 500)) fail(`ws #${i}`, `the upgrade to ${path} was answered ${other.refused}`);
      return;
    }
    const conn = await wsConnection(i);
    if (!conn) return;
    const closed = wsClosed!;
    count(`ws:${frame.kind}`);
    const what = `${frame.kind} ${describe(frame.data)}`;
    if (frame.raw) (conn as unknown as { _socket: import('node:net').Socket })._socket.write(frame.data as Uint8Array);
    else conn.send(frame.data, { binary: typeof frame.data !== 'string' });
    // The probe: query-awareness is always answered by an awareness message while the connection lives.
    const answered = new Promise<'answered'>((resolve) => {
      const onMessage = (data: Buffer) => {
        if (data[0] === 1) {
          conn.off('message', onMessage);
          resolve('answered');
        }
      };
      conn.on('message', onMessage);
    });
    if (conn.readyState === conn.OPEN) conn.send(new Uint8Array([3]));
    const outcome = await Promise.race([answered, closed, sleep(8000).then(() => 'hung' as const)]);
    if (outcome === 'hung') {
      fail(`ws #${i}`, `no answer and no close within 8 s after ${what}`);
      conn.terminate();
      ws = null;
    } else if (Array.isArray(outcome)) {
      const [code, reason] = outcome;
      count(`ws:closed:${code}`);
      ws = null;
      // 4409: an edit refused once the HTTP fuzzer (an editor there) archived the case: as designed.
      if (frame.honest && code !== DOC_CLOSE.editRefused) fail(`ws #${i}`, `an honest ${what} closed the connection (${code} ${reason})`);
      else if (!ACCEPTED_CLOSES.has(code) && !(frame.raw && code === 1006)) fail(`ws #${i}`, `closed with ${code} ${JSON.stringify(reason)} after ${what}`);
    } else {
      count('ws:alive');
      if (frame.mustClose) fail(`ws #${i}`, `the connection stayed open after ${what}`);
    }
  }

  // --- Socket.io ---------------------------------------------------------------------------
  let sock: Socket | null = null;
  async function sockConnection(): Promise<Socket> {
    if (sock && sock.connected) return sock;
    sock?.close();
    sock = await connectSocket(fuzzer);
    return sock;
  }
  const knownWithAck = new Set<string>(CLIENT_EVENTS);
  async function sockIteration(i: number): Promise<void> {
    const e = genSocketEmit(rngSock, ids, maxMessageBytes);
    count(`io:${knownWithAck.has(e.event) ? e.event : 'other'}${e.withAck ? '+ack' : ''}${e.oversized ? ':oversized' : ''}`);
    const s = await sockConnection();
    const what = `emit ${describe(e.event, 60)} ${describe(e.args)}`;
    const dropped = new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)));
    try {
      if (e.withAck && knownWithAck.has(e.event)) {
        const ack = await Promise.race([
          s.timeout(5000).emitWithAck(e.event, ...e.args).catch((err: Error) => ({ timeout: err.message })),
          dropped.then((reason) => ({ dropped: reason })),
        ]);
        if ('dropped' in ack) {
          count('io:dropped');
          if (!e.oversized) fail(`io #${i}`, `the connection dropped (${ack.dropped}) after ${what}`);
        } else if ('timeout' in ack) fail(`io #${i}`, `no acknowledgement within 5 s for ${what}`);
        else checkAck(i, what, e, ack as { ok: boolean; data?: unknown; error?: { code: string; fields?: Record<string, string> } });
      } else if (e.withAck) {
        s.emit(e.event, ...e.args, () => fail(`io #${i}`, `an acknowledgement came for an event nobody handles: ${what}`));
      } else s.emit(e.event, ...e.args);
    } catch (err) {
      count('io:client-refused'); // socket.io-client refuses reserved names itself
      void err;
    }
    // Liveness probe: the member's own room still answers (unless the emit was over the limit).
    if (s.connected) {
      const probe = await Promise.race([
        s.timeout(5000).emitWithAck(EVENTS.caseJoin, { caseId: own.id }).catch(() => null),
        dropped.then(() => 'dropped' as const),
      ]);
      if (probe === 'dropped') {
        count('io:dropped');
        if (!e.oversized) fail(`io #${i}`, `the connection dropped after ${what}`);
      } else if (!probe || !(probe as { ok: boolean }).ok) fail(`io #${i}`, `the own room stopped answering after ${what}: ${describe(probe)}`);
    } else if (!e.oversized) fail(`io #${i}`, `the connection dropped after ${what}`);
  }
  function checkAck(i: number, what: string, e: { event: string; args: unknown[] }, ack: { ok: boolean; data?: unknown; error?: { code: string; fields?: Record<string, string> } }) {
    if (typeof ack !== 'object' || ack === null || typeof ack.ok !== 'boolean') return fail(`io #${i}`, `acknowledgement of the wrong shape ${describe(ack)} for ${what}`);
    if (!ack.ok) {
      if (ack.error?.code === 'internal') fail(`io #${i}`, `internal error for ${what}`);
      if (ack.error?.code === 'validation_failed' && !ack.error.fields) fail(`io #${i}`, `validation error naming no field for ${what}`);
      count(`io:ack:${ack.error?.code}`);
      return;
    }
    count('io:ack:ok');
    const payload = e.args[0] as { caseId?: unknown } | undefined;
    // Valid by chance: the member's own case (a generated value may pick its id too).
    const own = typeof payload === 'object' && payload !== null && payload.caseId === ids.ownCaseId;
    const leave = e.event === EVENTS.caseLeave || e.event === EVENTS.conferenceLeave;
    if (!own && !leave) fail(`io #${i}`, `accepted ${what}`);
    if (e.event === EVENTS.caseJoin && payload?.caseId === canary.caseId) fail(`io #${i}`, `a non-member joined the canary's case room`);
  }

  // --- raw Engine.IO -----------------------------------------------------------------------
  let eio: { ws: WebSocket; closed: Promise<[number, string]> } | null = null;
  async function eioConnection(i: number): Promise<typeof eio> {
    if (eio && eio.ws.readyState === WebSocket.OPEN) return eio;
    const opened = await openWs(url, '/socket.io/?EIO=4&transport=websocket', fuzzer.cookie);
    if (!('ws' in opened)) {
      fail(`eio #${i}`, `the Engine.IO upgrade was refused (${opened.refused})`);
      return null;
    }
    const w = opened.ws;
    w.on('error', () => undefined);
    const closed = new Promise<[number, string]>((resolve) => w.once('close', (code, reason) => resolve([code, reason.toString()])));
    w.on('message', (data) => {
      if (data.toString() === '2') w.send('3'); // answer pings
    });
    const connected = new Promise<boolean>((resolve) => {
      const on = (data: Buffer) => {
        if (data.toString().startsWith('40')) {
          w.off('message', on);
          resolve(true);
        }
      };
      w.on('message', on);
      void closed.then(() => resolve(false));
    });
    w.send('40');
    if (!(await Promise.race([connected, sleep(5000).then(() => false)]))) {
      fail(`eio #${i}`, 'the Socket.IO connect packet was not answered');
      w.terminate();
      return null;
    }
    eio = { ws: w, closed };
    return eio;
  }
  let ackId = 1_000_000;
  async function eioIteration(i: number): Promise<void> {
    const conn = await eioConnection(i);
    if (!conn) return;
    const p = genEnginePacket(rngEngine, ids);
    count(`eio:${p.kind}`);
    const what = `${p.kind} ${describe(p.data)}`;
    conn.ws.send(p.data, { binary: typeof p.data !== 'string' });
    const id = ackId++;
    const answered = new Promise<'answered'>((resolve) => {
      const on = (data: Buffer) => {
        if (data.toString().startsWith(`43${id}`)) {
          conn.ws.off('message', on);
          resolve('answered');
        }
      };
      conn.ws.on('message', on);
    });
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(`42${id}${JSON.stringify([EVENTS.caseJoin, { caseId: own.id }])}`);
    const outcome = await Promise.race([answered, conn.closed, sleep(5000).then(() => 'quiet' as const)]);
    if (outcome === 'answered') count('eio:alive');
    else {
      // Closed by the server (a parse error), or disconnected from the namespace (quiet): start afresh.
      count(Array.isArray(outcome) ? `eio:closed:${outcome[0]}` : 'eio:quiet');
      if (outcome === 'quiet' && !/disconnect|engine-close|other-namespace|binary|packet-type|huge-id|bad-json|ack|empty|upgrade/.test(p.kind)) fail(`eio #${i}`, `no answer after ${what}`);
      conn.ws.terminate();
      eio = null;
    }
  }

  // --- HTTP --------------------------------------------------------------------------------
  async function httpIteration(i: number): Promise<void> {
    const c = genHttpCase(rngHttp, routes, httpIds, httpUser.cookie ?? '', maxBodyBytes);
    const res = await rawHttp(url, c);
    const what = `${c.kind} → ${c.method} ${describe(c.target, 100)}`;
    count(`http:${res.status ?? 'closed'}`);
    if (res.hung) return fail(`http #${i}`, `no answer within 15 s: ${what}`);
    if (res.status === null) return; // the connection was closed without an answer
    if (res.status >= 500) return fail(`http #${i}`, `${res.status} ${describe(res.body, 200)} for ${what}`);
    if (res.status < 300) {
      // Ids in answers (records the fuzzer made) feed later paths and bodies: deeper handlers.
      for (const id of res.body.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? []) {
        if (!seen.includes(id) && id !== canary.caseId) seen.push(id);
      }
      if (seen.length > 300) seen.splice(0, seen.length - 300);
    }
    if (c.mustRefuse && res.status < 400) fail(`http #${i}`, `${res.status} for a request that is certainly invalid: ${what}`);
    if (/SQLite format|root:x:0:/.test(res.body)) fail(`http #${i}`, `a file outside the client was served for ${what}`);
    // Answers from the app (not Node's own parser) to API paths: JSON errors, the field named when validation fails.
    if (res.status >= 400 && res.headers['x-content-type-options'] && res.headers['content-type']?.startsWith('application/json') && c.method !== 'HEAD') {
      type ErrorBody = { error?: { code?: string; fields?: Record<string, string> } } | null;
      let parsed: ErrorBody;
      try {
        parsed = JSON.parse(res.body) as ErrorBody;
      } catch {
        return fail(`http #${i}`, `a ${res.status} whose JSON body does not parse: ${what}`);
      }
      const code = parsed?.error?.code;
      if (!code) fail(`http #${i}`, `a ${res.status} without an error code: ${what}`);
      if ((code === 'validation_failed' || code === 'malformed_json') && !parsed?.error?.fields) fail(`http #${i}`, `a 400 naming no field (${describe(res.body, 200)}) for ${what}`);
    }
    // A random sign-out, or anything that ends the HTTP fuzzer's session: sign in again.
    if (res.status === 401 || /signout/.test(c.target)) {
      const probe = await httpUser.get('/api/cases');
      if (probe.status === 401) {
        const again = await httpUser.post('/api/auth/signin', { email: httpUser.user!.email, password: 'correct horse battery' });
        if (again.status !== 200) fail(`http #${i}`, `the HTTP fuzzer could not sign in again: ${again.status} ${describe(again.body)}`);
      }
    }
  }

  // --- the checks between batches ------------------------------------------------------------
  async function between(tag: string): Promise<void> {
    const health = await fetch(`${url}/healthz`).catch((err: Error) => ({ status: err.message }));
    if (health.status !== 200) fail(`after ${tag}`, `/healthz answered ${health.status}`);
    try {
      await canary.check(tag);
    } catch (err) {
      fail(`after ${tag}`, `the canary stopped working: ${(err as Error).message}`);
    }
    // The fuzzer's own session still works: nothing it sent signed it out or broke its case.
    const mine = await fuzzer.get(`/api/cases/${own.id}`);
    if (mine.status !== 200) fail(`after ${tag}`, `the fuzzing member lost its own case: ${mine.status}`);
    const theirs = await fuzzer.get(`/api/cases/${canary.caseId}`);
    if (theirs.status !== 404) fail(`after ${tag}`, `the fuzzing member can see the canary's case: ${theirs.status}`);
  }

  try {
    await between('start');
    for (let done = 0; done < iterations && failures.length < MAX_FAILURES; done += batch) {
      const end = Math.min(iterations, done + batch);
      // A throw in the fuzzer itself (not the server) is reported with its step, and the run goes on.
      const step = async (name: string, i: number, run: (i: number) => Promise<void>) => {
        if (trace) log(`[fuzz] #${i} ${name}`);
        try {
          await run(i);
        } catch (err) {
          fail(`${name} #${i}`, `the fuzzer itself threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        }
      };
      for (let i = done; i < end; i++) {
        await step('http', i, httpIteration);
        await step('io', i, sockIteration);
        await step('ws', i, wsIteration);
        if (i % 3 === 0) await step('eio', i, eioIteration);
      }
      await between(`iteration ${end}`);
      log(`[fuzz] seed ${seed}: ${end}/${iterations} iterations, ${failures.length} failures`);
    }
  } finally {
    (ws as WebSocket | null)?.terminate();
    (sock as Socket | null)?.close();
    (eio as { ws: WebSocket } | null)?.ws.terminate();
    canary.close();
    console.error = consoleError;
  }

  // Bounded resources: the fuzzer's connections are gone, so the hub holds no more than before
  // (plus documents waiting to unload), and the heap grew by less than the bound.
  let heapGrowthMb: number | null = null;
  if (opts.hubStats && statsBefore) {
    try {
      await waitFor(() => opts.hubStats!().connections <= statsBefore.connections, { timeoutMs: 10_000, what: 'the brief connections to close' });
    } catch (err) {
      fail('at the end', `brief connections were left open: ${JSON.stringify(opts.hubStats())} (before: ${JSON.stringify(statsBefore)})`);
    }
  }
  // The fuzzed brief, once unloaded, still loads from the store for an honest editor: nothing the
  // fuzzer got stored poisons it.
  try {
    await sleep(300);
    const again = connectBrief(fuzzer, own.id);
    try {
      await waitFor(() => again.provider.synced, { timeoutMs: 8000, what: "the fuzzed brief to load again" });
    } finally {
      again.provider.destroy();
      again.doc.destroy();
    }
  } catch (err) {
    fail('at the end', `the fuzzed brief no longer loads: ${(err as Error).message}`);
  }
  if (opts.heapUsed && heapBefore !== null) {
    await sleep(500);
    heapGrowthMb = (opts.heapUsed() - heapBefore) / 1024 / 1024;
    const bound = opts.heapBoundMb ?? 64;
    if (heapGrowthMb > bound) fail('at the end', `the heap grew by ${heapGrowthMb.toFixed(1)} MB (bound ${bound} MB; ${MEMORY_BOUND_NOTE})`);
  }
  return { seed, iterations, failures, counts, heapGrowthMb, ms: Date.now() - started };
}

/** A full GC before reading the heap, also where node was not started with --expose-gc. */
export async function gcHeapUsed(): Promise<() => number> {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  return () => {
    gc!();
    gc!();
    return process.memoryUsage().heapUsed;
  };
}
