/**
 * Seeded generators for the fuzzers (tests/fuzz/run-fuzz.ts): y-websocket frames, Socket.io
 * emits and raw Engine.IO packets, and raw HTTP requests. Everything here is a pure function of
 * the PRNG, so a seed replays the same inputs (FUZZ_SEED=<seed>).
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { EVENTS } from '../../shared/events.js';

/** mulberry32: a small, fast 32-bit PRNG; good enough to spread inputs, trivially replayable. */
export class Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** Picks by weight: [[weight, value], ...]. */
  weighted<T>(table: readonly (readonly [number, T])[]): T {
    const total = table.reduce((n, [w]) => n + w, 0);
    let r = this.next() * total;
    for (const [w, v] of table) if ((r -= w) < 0) return v;
    return table[table.length - 1]![1];
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
  string(n: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-_:.'): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
  /** Any UTF-16 code units, control characters and lone surrogates included. */
  wildString(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.chance(0.7) ? this.range(0x20, 0x7e) : this.int(0x10000));
    return s;
  }
  uuid(): string {
    const h = [...this.bytes(16)].map((b) => b.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

/** A fresh seed when none is given (printed by `npm run fuzz`). */
export function randomSeed(): number {
  return (Math.random() * 0x100000000) >>> 0;
}

/** Ids the fuzzers know: their own (valid by chance) and the canary's (must stay out of reach). */
export interface KnownIds {
  ownCaseId: string;
  otherCaseId: string;
  ownUserId: string;
  otherUserId: string;
  /** Ids seen in the server's answers (threads, rounds, items…), so that paths reach real records. */
  seen?: string[];
  /** Other cases the fuzzer may use (e.g. the one whose brief the y-websocket fuzzer fills with odd content). */
  moreCaseIds?: string[];
}

function someId(rng: Rng, ids: KnownIds): string {
  if (ids.seen?.length && rng.chance(0.6)) return rng.pick(ids.seen);
  return rng.pick([ids.ownCaseId, ids.ownUserId, ids.otherCaseId, ids.otherUserId, rng.uuid()]);
}

/** Values by a property's name, where the schema alone says too little (emails, zones, local times). */
function byName(rng: Rng, key: string, ids: KnownIds): unknown {
  if (/email/i.test(key)) return `${rng.string(6, 'abcdefghij')}@example.org`;
  if (/timeZone/.test(key)) return rng.pick(['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Kolkata', 'Australia/Lord_Howe']);
  if (/url/i.test(key)) return `https://example.org/${rng.string(8)}`;
  if (/^(start|end)$/.test(key)) return `2026-${String(rng.range(1, 12)).padStart(2, '0')}-${String(rng.range(1, 28)).padStart(2, '0')}T${String(rng.range(6, 20)).padStart(2, '0')}:${rng.pick(['00', '30'])}`;
  if (/patientRef/.test(key)) return `PT-${rng.range(1, 9999)}`;
  if (/Id$/.test(key)) return someId(rng, ids);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// y-websocket frames

export interface WsFrame {
  kind: string;
  /** A binary or text message, or raw bytes written under the WebSocket framing (`raw`). */
  data: Uint8Array | string;
  raw?: boolean;
  /** Whether the server may keep the connection open after it (an honest message). */
  honest?: boolean;
  /** Certainly malformed: the server must close the connection (4400, or 1009 when too big). */
  mustClose?: boolean;
}

function message(build: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  build(e);
  return encoding.toUint8Array(e);
}

/** A real Yjs update: a few random edits to a document of the brief's shape. */
function realUpdate(rng: Rng): Uint8Array {
  const doc = new Y.Doc();
  const pick = rng.int(5);
  if (pick >= 3) {
    // Odd but well-formed content in the brief's own fragment: unknown nodes, attributes, marks, empty text.
    const frag = doc.getXmlFragment('default');
    const el = new Y.XmlElement(rng.pick(['paragraph', 'heading', 'citation', 'bulletList', 'listItem', 'table', rng.string(rng.range(1, 12)), '', '__proto__']));
    if (rng.chance(0.6)) el.setAttribute(rng.pick(['level', 'id', 'anchor', 'href', 'evidenceId', '__proto__', rng.string(4)]), rng.pick([rng.wildString(6), '9999', '-1', '']) as string);
    const text = new Y.XmlText();
    text.insert(0, rng.wildString(rng.range(0, 30)), rng.chance(0.4) ? { [rng.pick(['bold', 'link', 'comment', 'citation', rng.string(4)])]: rng.chance(0.5) ? true : { href: rng.wildString(8), id: rng.uuid() } } : undefined);
    el.insert(0, rng.chance(0.2) ? [text, new Y.XmlElement(rng.string(4))] : [text]);
    frag.insert(0, [el]);
  } else if (pick === 0) doc.getText('fuzz').insert(0, rng.wildString(rng.range(1, 40)));
  else if (pick === 1) doc.getMap('fuzz-map').set(rng.string(6), rng.chance(0.5) ? rng.wildString(8) : rng.int(1e6));
  else {
    const el = new Y.XmlElement('paragraph');
    el.insert(0, [new Y.XmlText(rng.string(rng.range(1, 20)))]);
    doc.getXmlFragment('fuzz-fragment').insert(0, [el]);
  }
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

function mangle(rng: Rng, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes);
  switch (rng.int(4)) {
    case 0: // truncated
      return out.slice(0, rng.int(Math.max(1, out.length)));
    case 1: // bit flips
      for (let i = rng.range(1, 4); i > 0 && out.length > 0; i--) out[rng.int(out.length)]! ^= 1 << rng.int(8);
      return out;
    case 2: // random bytes spliced in
      return new Uint8Array([...out.slice(0, rng.int(out.length + 1)), ...rng.bytes(rng.range(1, 16)), ...out.slice(rng.int(out.length + 1))]);
    default: // extended with garbage
      return new Uint8Array([...out, ...rng.bytes(rng.range(1, 32))]);
  }
}

/** A varUint that never ends, or one far past 2^53. */
function wildVarint(rng: Rng): Uint8Array {
  const n = rng.range(1, 12);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = 0x80 | rng.int(128);
  if (rng.chance(0.5)) out[n - 1] = rng.int(128); // ends, maybe huge
  return out;
}

function awarenessPayload(rng: Rng, name: string, honest = false): Uint8Array {
  const json = honest ? JSON.stringify({ user: { name, color: '#abcdef' }, cursor: rng.chance(0.5) ? null : { anchor: rng.int(100) } }) : rng.weighted<() => string>([
    [3, () => JSON.stringify({ user: { name, color: '#abcdef' }, cursor: null })],
    [2, () => JSON.stringify({ user: { name: rng.wildString(8) } })],
    [1, () => 'null'],
    [2, () => rng.wildString(rng.range(0, 30))], // not JSON
    [1, () => JSON.stringify(deepNest(rng.range(10, 3000)))],
    [1, () => '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'],
  ])();
  return message((e) => {
    const count = honest ? 1 : rng.weighted([[6, 1], [1, 0], [1, rng.range(2, 10)], [1, 0xffffffff]]);
    encoding.writeVarUint(e, count);
    for (let i = 0; i < Math.min(count, 10); i++) {
      encoding.writeVarUint(e, honest ? rng.int(2 ** 30) : rng.chance(0.2) ? rng.int(2 ** 53) : rng.int(2 ** 30));
      encoding.writeVarUint(e, honest ? rng.int(1000) : rng.chance(0.1) ? 2 ** 32 + rng.int(1000) : rng.int(1000));
      encoding.writeVarString(e, json);
    }
  });
}

function deepNest(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** One message for a brief's WebSocket; `name` is the signed-in person's (honest awareness names it). */
export function genYjsFrame(rng: Rng, maxMessageBytes: number, name: string): WsFrame {
  return rng.weighted<() => WsFrame>([
    [3, () => ({ kind: 'sync-step1', honest: true, data: message((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 0); encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc())); }) })],
    [3, () => ({ kind: 'sync-step1-random-sv', data: message((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 0); encoding.writeVarUint8Array(e, rng.bytes(rng.range(0, 40))); }) })],
    [4, () => ({ kind: 'sync-update-valid', honest: true, data: message((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, rng.pick([1, 2])); encoding.writeVarUint8Array(e, realUpdate(rng)); }) })],
    [8, () => ({ kind: 'sync-update-mangled', data: message((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, rng.pick([1, 2])); encoding.writeVarUint8Array(e, mangle(rng, realUpdate(rng))); }) })],
    [4, () => ({ kind: 'sync-update-random', data: message((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, rng.pick([1, 2])); encoding.writeVarUint8Array(e, rng.bytes(rng.range(0, 64))); }) })],
    [3, () => ({ kind: 'sync-frame-mangled', data: mangle(rng, message((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 2); encoding.writeVarUint8Array(e, realUpdate(rng)); })) })],
    [2, () => ({ kind: 'sync-unknown-subtype', mustClose: true, data: message((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, rng.range(3, 1000)); encoding.writeUint8Array(e, rng.bytes(rng.range(0, 16))); }) })],
    [3, () => ({ kind: 'awareness-honest', honest: true, data: message((e) => { encoding.writeVarUint(e, 1); encoding.writeVarUint8Array(e, awarenessPayload(rng, name, true)); }) })],
    [4, () => ({ kind: 'awareness-mangled', data: mangle(rng, message((e) => { encoding.writeVarUint(e, 1); encoding.writeVarUint8Array(e, awarenessPayload(rng, name)); })) })],
    [2, () => ({ kind: 'query-awareness', honest: true, data: new Uint8Array([3]) })],
    [1, () => ({ kind: 'auth', honest: true, data: new Uint8Array([2, ...rng.bytes(rng.range(0, 8))]) })],
    [2, () => ({ kind: 'unknown-type', mustClose: true, data: message((e) => { encoding.writeVarUint(e, rng.range(4, 2 ** 31)); encoding.writeUint8Array(e, rng.bytes(rng.range(0, 8))); }) })],
    [3, () => ({ kind: 'wild-varint', mustClose: true, data: new Uint8Array([...(rng.chance(0.5) ? [rng.int(2)] : []), ...wildVarint(rng)]) })],
    [2, () => ({ kind: 'random-bytes', data: rng.bytes(rng.range(1, 256)) })],
    [2, () => ({ kind: 'text-frame', mustClose: true, data: rng.wildString(rng.range(0, 64)) })],
    [2, () => ({ kind: 'empty-frame', mustClose: true, data: new Uint8Array(0) })],
    [1, () => ({ kind: 'oversized', mustClose: true, data: new Uint8Array(maxMessageBytes + rng.range(1, 64)) })],
    [1, () => ({ kind: 'at-limit-garbage', data: new Uint8Array([0, 2, ...rng.bytes(64)]).slice(0, 66) })],
    [2, () => ({ kind: 'raw-framing', raw: true, data: rawFraming(rng) })],
  ])();
}

/** Bytes below the WebSocket framing: bad opcodes, unmasked frames, reserved bits, lies about length. */
function rawFraming(rng: Rng): Uint8Array {
  const payload = rng.bytes(rng.range(0, 20));
  const mask = rng.bytes(4);
  const masked = payload.map((b, i) => b ^ mask[i % 4]!);
  switch (rng.int(5)) {
    case 0: // reserved opcode
      return new Uint8Array([0x80 | rng.pick([3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf]), 0x80 | payload.length, ...mask, ...masked]);
    case 1: // unmasked client frame
      return new Uint8Array([0x82, payload.length, ...payload]);
    case 2: // reserved bits set
      return new Uint8Array([0x82 | (rng.range(1, 7) << 4), 0x80 | payload.length, ...mask, ...masked]);
    case 3: // a 64-bit length far past the limit
      return new Uint8Array([0x82, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, ...mask]);
    default: // continuation frame with no start
      return new Uint8Array([0x80, 0x80 | payload.length, ...mask, ...masked]);
  }
}

// ---------------------------------------------------------------------------------------------
// Socket.io

/** Events a client may send (with ack), and the rest of the names the app uses. */
export const CLIENT_EVENTS = [EVENTS.caseJoin, EVENTS.caseLeave, EVENTS.conferenceJoin, EVENTS.conferenceLeave] as const;
const ALL_EVENTS = Object.values(EVENTS);

export interface SocketEmit {
  event: string;
  args: unknown[];
  withAck: boolean;
  /** Bigger than the server's message limit: the server closes the connection. */
  oversized: boolean;
}

/** A random JSON-ish value: wrong types, huge strings, deep nesting, prototype keys. */
export function genValue(rng: Rng, ids: KnownIds, depth = 0): unknown {
  return rng.weighted<() => unknown>([
    [3, () => rng.wildString(rng.range(0, 40))],
    [2, () => rng.pick([0, -1, 1.5, Number.MAX_SAFE_INTEGER, -0, 1e308, Number.NaN])],
    [2, () => rng.pick([true, false, null])],
    [2, () => rng.pick([ids.ownCaseId, ids.otherCaseId, ids.ownUserId, rng.uuid(), 'not-an-id', "1' OR '1'='1", '../../etc/passwd', '00000000-0000-0000-0000-000000000000'])],
    [depth < 4 ? 2 : 0, () => Array.from({ length: rng.range(0, 5) }, () => genValue(rng, ids, depth + 1))],
    [depth < 4 ? 3 : 0, () => genObject(rng, ids, depth + 1)],
    [1, () => 'x'.repeat(rng.range(10_000, 200_000))],
    [1, () => deepNest(rng.range(50, 2000))],
    [1, () => JSON.parse('{"__proto__":{"polluted":"yes","caseId":"' + ids.otherCaseId + '"},"constructor":{"prototype":{"polluted":"yes"}}}')],
  ])();
}

function genObject(rng: Rng, ids: KnownIds, depth: number): Record<string, unknown> {
  const keys = ['caseId', 'conferenceId', 'id', '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '$where', '$gt', rng.string(rng.range(1, 12))];
  const obj: Record<string, unknown> = {};
  for (let i = rng.range(0, 4); i > 0; i--) {
    // defineProperty, so that __proto__ becomes an own key as JSON.parse would make it
    Object.defineProperty(obj, rng.pick(keys), { value: genValue(rng, ids, depth), enumerable: true, configurable: true, writable: true });
  }
  return obj;
}

export function genSocketEmit(rng: Rng, ids: KnownIds, maxMessageBytes: number): SocketEmit {
  const event = rng.weighted<() => string>([
    [6, () => rng.pick(CLIENT_EVENTS)],
    [2, () => rng.pick(ALL_EVENTS)],
    [2, () => rng.string(rng.range(0, 30))],
    [1, () => rng.wildString(rng.range(1, 20))],
    [1, () => rng.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'error', 'message', 'ping', 'close', 'join', 'consilium:access-changed'])],
    [1, () => 'e'.repeat(rng.range(1000, 50_000))],
  ])();
  const payload = rng.weighted<() => unknown>([
    [3, () => ({ caseId: rng.pick([ids.ownCaseId, ids.otherCaseId]) })],
    [1, () => ({ conferenceId: rng.pick([ids.ownCaseId, rng.uuid()]) })],
    [1, () => ({ caseId: ids.ownCaseId, extra: genValue(rng, ids) })],
    [1, () => ({ caseId: genValue(rng, ids) })],
    [6, () => genValue(rng, ids)],
    [1, () => undefined],
  ])();
  const extra = rng.chance(0.2) ? Array.from({ length: rng.range(1, 3) }, () => (rng.chance(0.3) ? Buffer.from(rng.bytes(rng.range(0, 64))) : genValue(rng, ids))) : [];
  const oversized = rng.chance(0.02);
  const args = [payload, ...extra];
  if (oversized) args.push('o'.repeat(maxMessageBytes + 10));
  return { event, args, withAck: rng.chance(0.7), oversized };
}

/** A raw Engine.IO/Socket.IO packet on a connected WebSocket transport. */
export function genEnginePacket(rng: Rng, ids: KnownIds): { kind: string; data: string | Uint8Array } {
  return rng.weighted<() => { kind: string; data: string | Uint8Array }>([
    [3, () => ({ kind: 'event-bad-json', data: `42${rng.chance(0.5) ? rng.int(1e6) : ''}${rng.pick(['[', '["case:join",', '{', '["case:join",{"caseId":', ']', '[1,2]', '[]', '[null]', '[{}]'])}${rng.wildString(rng.range(0, 20))}` })],
    [3, () => ({ kind: 'event-random', data: `42${rng.chance(0.5) ? rng.int(1e9) : ''}${JSON.stringify([rng.pick([...ALL_EVENTS, 'disconnecting', 'disconnect', 'connect', 'newListener', 'removeListener', rng.string(5)]), genValue(rng, ids)])}` })],
    [2, () => ({ kind: 'ack-unsolicited', data: `43${rng.int(1e6)}${JSON.stringify([genValue(rng, ids)])}` })],
    [2, () => ({ kind: 'binary-missing-attachments', data: `45${rng.range(1, 5)}-${JSON.stringify([EVENTS.caseJoin, { _placeholder: true, num: rng.int(10) }])}` })],
    [1, () => ({ kind: 'binary-unexpected', data: rng.bytes(rng.range(0, 32)) })],
    [2, () => ({ kind: 'other-namespace', data: `40/${rng.string(6)},${JSON.stringify(genValue(rng, ids))}` })],
    [2, () => ({ kind: 'packet-type', data: `${rng.int(10)}${rng.int(10)}${rng.wildString(rng.range(0, 16))}` })],
    [1, () => ({ kind: 'disconnect-packet', data: '41' })],
    [1, () => ({ kind: 'engine-close', data: '1' })],
    [1, () => ({ kind: 'engine-upgrade', data: '5' })],
    [1, () => ({ kind: 'empty', data: '' })],
    [1, () => ({ kind: 'huge-id', data: `42${'9'.repeat(rng.range(20, 400))}["case:join",{}]` })],
  ])();
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface RouteInfo {
  method: string;
  /** OpenAPI path with {params}. */
  path: string;
  auth: boolean;
  hasBody: boolean;
  /** The request body's JSON Schema (from /api/openapi.json), to build bodies that pass validation by chance. */
  bodySchema?: JsonSchema;
  query?: { name: string; schema: JsonSchema }[];
}

type JsonSchema = { [key: string]: unknown };

/** A value that fits a JSON Schema (roughly: enough to get past validation and into the handlers). */
export function fromSchema(rng: Rng, schema: JsonSchema, ids: KnownIds, root: JsonSchema = schema, depth = 0): unknown {
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref.replace(/^#\//, '').split('/').reduce<unknown>((o, k) => (o as JsonSchema | undefined)?.[k], root);
    return depth > 6 ? null : fromSchema(rng, (target as JsonSchema) ?? {}, ids, root, depth + 1);
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return rng.pick(schema.enum);
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (union?.length) return fromSchema(rng, rng.pick(union), ids, root, depth + 1);
  if (Array.isArray(schema.allOf) && schema.allOf.length) return fromSchema(rng, schema.allOf[0] as JsonSchema, ids, root, depth + 1);
  const type = Array.isArray(schema.type) ? rng.pick(schema.type as string[]) : (schema.type as string | undefined);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set((schema.required as string[] | undefined) ?? []);
      for (const [k, sub] of Object.entries((schema.properties as Record<string, JsonSchema> | undefined) ?? {})) {
        if (!required.has(k) && !rng.chance(0.5)) continue;
        const named = rng.chance(0.85) ? byName(rng, k, ids) : undefined;
        out[k] = named !== undefined && (sub.type === 'string' || sub.anyOf || sub.format) ? named : fromSchema(rng, sub, ids, root, depth + 1);
      }
      return out;
    }
    case 'array': {
      const min = (schema.minItems as number | undefined) ?? 0;
      const max = Math.min((schema.maxItems as number | undefined) ?? min + 3, min + 3);
      return Array.from({ length: rng.range(min, Math.max(min, max)) }, () => fromSchema(rng, (schema.items as JsonSchema) ?? {}, ids, root, depth + 1));
    }
    case 'string': {
      const format = schema.format as string | undefined;
      if (format === 'uuid') return someId(rng, ids);
      if (format === 'date') return `2026-${String(rng.range(1, 12)).padStart(2, '0')}-${String(rng.range(1, 28)).padStart(2, '0')}`;
      if (format === 'date-time') return new Date(Date.UTC(2026, rng.int(12), rng.range(1, 28), rng.int(24), rng.int(4) * 15)).toISOString();
      if (format === 'email') return `${rng.string(6, 'abcdefghij')}@example.org`;
      if (format === 'uri' || format === 'url') return `https://example.org/${rng.string(8)}`;
      const min = (schema.minLength as number | undefined) ?? 1;
      const max = (schema.maxLength as number | undefined) ?? 40;
      const pattern = typeof schema.pattern === 'string' ? schema.pattern : '';
      if (/\\d|\[0-9\]/.test(pattern)) return `PT-${rng.range(1, 99999)}`;
      if (/HH|:\\d|\^\(\[01\]/.test(pattern)) return `${String(rng.int(24)).padStart(2, '0')}:${rng.pick(['00', '15', '30', '45'])}`;
      return rng.string(rng.range(min, Math.max(min, Math.min(max, min + 30))), 'abcdefghijklmnopqrstuvwxyz ABCDEFG');
    }
    case 'integer':
    case 'number': {
      const lo = (schema.minimum as number | undefined) ?? (schema.exclusiveMinimum as number | undefined) ?? 0;
      const hi = (schema.maximum as number | undefined) ?? (schema.exclusiveMaximum as number | undefined) ?? lo + 100;
      return rng.range(Math.ceil(lo), Math.floor(Math.max(lo, Math.min(hi, lo + 1000))));
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'null':
      return null;
    default:
      return rng.chance(0.5) ? rng.string(8) : rng.int(10);
  }
}

/** One field of a schema-shaped body set wrong: a wrong type, a string past its limit, a prototype key. */
function mutateBody(rng: Rng, body: unknown, ids: KnownIds): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return genValue(rng, ids);
  const keys = Object.keys(body);
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  const key = keys.length && rng.chance(0.8) ? rng.pick(keys) : rng.pick(['__proto__', 'constructor', 'extra', '$where', 'id', 'createdBy', 'role']);
  const v = out[key];
  const next = rng.weighted<() => unknown>([
    [3, () => genValue(rng, ids, 3)],
    [2, () => (typeof v === 'string' ? v + 'x'.repeat(rng.pick([1, 200, 5000, 60_000])) : 'x'.repeat(rng.range(1, 300)))],
    [1, () => (typeof v === 'string' ? rng.pick(['', ' ', '\u0000', '\u202e', 'a\u0007b', '\ud800']) : null)],
    [1, () => (typeof v === 'number' ? rng.pick([-1, 0, 1e9, 2 ** 53, 0.5, -0.0001]) : rng.int(1e6))],
    [1, () => (Array.isArray(v) ? [...v, ...v, ...v, ...Array.from({ length: rng.range(10, 300) }, () => v[0] ?? genValue(rng, ids, 3))] : [v])],
    [1, () => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? rng.pick(['2026-02-30', '2026-13-01', '0000-00-00', '9999-12-31T99:99:99Z', '2026-03-29T02:30:00', v + 'Z']) : undefined)],
  ])();
  Object.defineProperty(out, key, { value: next, enumerable: true, configurable: true, writable: true });
  return out;
}

export interface HttpCase {
  /** For failure messages: what was generated. */
  kind: string;
  method: string;
  /** The raw request target, sent as is (no normalization). */
  target: string;
  headers: [string, string][];
  body?: Buffer;
  /** Certainly invalid: the answer must be a 4xx (or a closed connection). Otherwise < 500. */
  mustRefuse: boolean;
}

const WRONG_IDS = ['not-an-id', '..', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', "1'%20OR%20'1'%3D'1", '%zz', '%', '%00', 'x'.repeat(3000), '00000000-0000-0000-0000-00000000000g', '%7B%22%24gt%22%3A%22%22%7D', '__proto__', 'constructor', '12345', '%F0%9F%92%A9', '%ED%A0%80'];

function fillPath(rng: Rng, path: string, ids: KnownIds): { target: string; wrong: boolean } {
  let wrong = false;
  const target = path.replace(/\{([A-Za-z]+)\}/g, (_m, param: string) => {
    const isId = /Id$/.test(param);
    const choice = rng.weighted<() => string>([
      [isId ? 4 : 1, () => (param === 'caseId' ? rng.pick([ids.ownCaseId, ...(ids.moreCaseIds ?? [])]) : param === 'userId' ? rng.pick([ids.ownUserId, ids.otherUserId]) : someId(rng, ids))],
      [isId ? 2 : 0, () => (param === 'caseId' ? ids.otherCaseId : rng.uuid())],
      [2, () => { if (isId) wrong = true; return rng.pick(WRONG_IDS); }],
      [isId ? 0 : 3, () => rng.pick(['consensus_summary', 'patient_summary', 'appeal_letter', 'markdown', 'html', 'pdf', 'fhir', 'evidence', rng.string(6)])],
    ])();
    return choice;
  });
  return { target, wrong };
}

function jsonBody(rng: Rng, ids: KnownIds, maxBodyBytes: number, route?: RouteInfo): { body: Buffer; malformed: boolean; tooBig: boolean } {
  return rng.weighted<() => { body: Buffer; malformed: boolean; tooBig: boolean }>([
    [route?.bodySchema ? 6 : 0, () => ({ body: Buffer.from(JSON.stringify(fromSchema(rng, route!.bodySchema!, ids))), malformed: false, tooBig: false })],
    [route?.bodySchema ? 8 : 0, () => ({ body: Buffer.from(JSON.stringify(mutateBody(rng, fromSchema(rng, route!.bodySchema!, ids), ids)) ?? 'null'), malformed: false, tooBig: false })],
    [3, () => ({ body: Buffer.from(JSON.stringify(genObject(rng, ids, 0))), malformed: false, tooBig: false })],
    [3, () => ({ body: Buffer.from(JSON.stringify(genValue(rng, ids)) ?? 'null'), malformed: false, tooBig: false })],
    [2, () => ({ body: Buffer.from(rng.pick(['{', '{"title": "x",', '[1,2', '{"a":}', 'nul', '{"a":"\\u12"}', "{'a':1}", '{"a":1}}', '\u0000', '"unterminated'])), malformed: true, tooBig: false })],
    [1, () => ({ body: Buffer.from(JSON.stringify({ title: 'x'.repeat(maxBodyBytes + rng.range(1, 5000)) })), malformed: false, tooBig: true })],
    [1, () => ({ body: Buffer.from(rng.bytes(rng.range(1, 64))), malformed: false, tooBig: false })],
    [1, () => ({ body: Buffer.from(JSON.stringify(deepNest(rng.range(100, 4000)))), malformed: false, tooBig: false })],
  ])();
}

/** Percent-encodes any string, lone surrogates included (encodeURIComponent throws on those). */
function pct(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0').toUpperCase()}`)).join('');
}

/** One raw HTTP request against a real route (or a path that is none), with odd parts. */
export function genHttpCase(rng: Rng, routes: RouteInfo[], ids: KnownIds, cookie: string, maxBodyBytes: number): HttpCase {
  const route = rng.pick(routes);
  const kinds: string[] = [];
  let mustRefuse = false;
  let method = route.method.toUpperCase();
  if (rng.chance(0.1)) {
    method = rng.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'TRACE', 'CONNECTX', 'M-SEARCH']);
    kinds.push(`method ${method}`);
  }
  let { target, wrong } = fillPath(rng, route.path, ids);
  const pathStyle = rng.weighted([[10, 'route'], [1, 'traversal'], [1, 'random'], [1, 'static']] as const);
  if (wrong && route.path.startsWith('/api/') && pathStyle === 'route') {
    // A param of the wrong shape on an id: 400 naming it (or 404 once the shape breaks the route).
    mustRefuse = method === route.method.toUpperCase();
    kinds.push('wrong-shaped id');
  }
  if (pathStyle === 'traversal') {
    target = rng.pick(['/api/../../etc/passwd', '/../../../../etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/consilium.db', '/assets/..%5c..%5cconsilium.db', '/api/cases/..%2f..%2fhealthz', '//etc/passwd', '/./././api/cases', '/yjs/../api/cases', '/socket.io/../../consilium.db', '/..;/consilium.db']);
    kinds.push('traversal');
  } else if (pathStyle === 'random') {
    // Printable ASCII as is; any other byte (invalid UTF-8 included) percent-encoded, now and then a bare '%'.
    target = '/' + [...rng.bytes(rng.range(0, 40))].map((b) => (b > 0x20 && b < 0x7f && b !== 0x23 && b !== 0x3f ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');
    kinds.push('random path');
  } else if (pathStyle === 'static') {
    target = rng.pick(['/', '/index.html', '/cases/abc', '/assets/app.js', '/favicon.ico', '/yjs', '/socket.io/', '/healthz', '/api', '/api/', '/api/openapi.json']);
  }
  if (route.query?.length && pathStyle === 'route' && rng.chance(0.5)) {
    const parts = route.query.filter(() => rng.chance(0.6)).map((q) => {
      const v = rng.chance(0.7) ? fromSchema(rng, q.schema, ids) : genValue(rng, ids, 4);
      return `${pct(q.name)}=${pct(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`;
    });
    if (parts.length) target += '?' + parts.join('&');
  } else if (rng.chance(0.15)) {
    target += '?' + rng.pick(['archived=maybe', 'sort[$ne]=1', '__proto__[polluted]=1', 'a=1&a=2&a=3', 'q=' + 'x'.repeat(rng.range(100, 6000)), 'limit=-1', 'limit=1e309', 'cursor=%zz', 'constructor[prototype][x]=1', '%', rng.string(10) + '=' + rng.string(10)]);
    kinds.push('query');
  }

  const headers: [string, string][] = [['Host', '127.0.0.1']];
  const cookieStyle = rng.weighted([[8, 'own'], [1, 'none'], [1, 'garbage'], [1, 'huge'], [1, 'duplicate']] as const);
  if (cookieStyle === 'own') headers.push(['Cookie', cookie]);
  else if (cookieStyle === 'garbage') headers.push(['Cookie', rng.pick(['consilium_session=%zz', 'consilium_session=', 'consilium_session', '=;=;;;', `consilium_session=${rng.string(64)}`, 'a'.repeat(100)])]);
  else if (cookieStyle === 'huge') headers.push(['Cookie', `x=${'y'.repeat(rng.range(8_000, 40_000))}; ${cookie}`]);
  else if (cookieStyle === 'duplicate') headers.push(['Cookie', cookie], ['Cookie', `consilium_session=${rng.string(40)}`]);
  if (cookieStyle !== 'own') kinds.push(`cookie ${cookieStyle}`);

  const stateChanging = !['GET', 'HEAD'].includes(method);
  const isApi = /^\/api(\/|$|\?)/.test(target);
  if (rng.chance(0.08)) {
    headers.push(['Origin', rng.pick(['https://evil.example', 'null', 'http://127.0.0.1.evil.example', 'not a url', 'http://[::1', 'file://'])]);
    kinds.push('bad origin');
    if (stateChanging && isApi) mustRefuse = true;
  }

  let body: Buffer | undefined;
  const wantsBody = route.hasBody ? rng.chance(0.9) : rng.chance(0.15);
  let contentType = 'application/json';
  if (wantsBody) {
    const b = jsonBody(rng, ids, maxBodyBytes, route);
    body = b.body;
    if (b.malformed) kinds.push('malformed json');
    if (b.tooBig) kinds.push('too big');
    if (rng.chance(0.12)) {
      contentType = rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/jsonx', '', 'application/json, text/plain', '*/*']);
      kinds.push(`content-type ${JSON.stringify(contentType)}`);
    }
    const json = contentType === 'application/json';
    if (stateChanging && isApi && (b.malformed || b.tooBig || !/^application\/json(;|$)/.test(contentType))) mustRefuse = true;
    if (!json && stateChanging && isApi && contentType !== '') mustRefuse = true;
  }
  if (contentType !== '' && body !== undefined) headers.push(['Content-Type', contentType]);

  let bodyOut = body;
  const lengthStyle = body ? rng.weighted([[12, 'exact'], [1, 'chunked'], [1, 'short'], [1, 'duplicate'], [1, 'both']] as const) : rng.weighted([[15, 'none'], [1, 'zero']] as const);
  if (lengthStyle === 'exact') headers.push(['Content-Length', String(body!.length)]);
  else if (lengthStyle === 'zero') headers.push(['Content-Length', '0']);
  else if (lengthStyle === 'chunked') {
    headers.push(['Transfer-Encoding', 'chunked']);
    bodyOut = Buffer.concat([Buffer.from(body!.length.toString(16) + '\r\n'), body!, Buffer.from('\r\n0\r\n\r\n')]);
    kinds.push('chunked');
  } else if (lengthStyle === 'short') {
    // Says less than it sends: the rest is read as the next (malformed) request.
    headers.push(['Content-Length', String(Math.floor(body!.length / 2))]);
    kinds.push('short content-length');
  } else if (lengthStyle === 'duplicate') {
    headers.push(['Content-Length', String(body!.length)], ['Content-Length', String(body!.length + 1)]);
    kinds.push('duplicate content-length');
    mustRefuse = true; // the HTTP parser refuses it
  } else if (lengthStyle === 'both') {
    headers.push(['Content-Length', String(body!.length)], ['Transfer-Encoding', 'chunked']);
    kinds.push('length and chunked');
    mustRefuse = true;
  }

  for (let i = rng.weighted([[8, 0], [2, 1], [1, 3]]); i > 0; i--) {
    const h = rng.weighted<() => [string, string]>([
      [2, () => ['X-Forwarded-For', rng.pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1', 'x'.repeat(2000)])]],
      [2, () => ['Accept', rng.pick(['*/*', 'text/html', 'application/json', 'image/png', ''])]],
      [1, () => ['Accept-Encoding', rng.pick(['gzip', 'br', 'identity;q=0', 'x'.repeat(500)])]],
      [1, () => ['Range', rng.pick(['bytes=0-10', 'bytes=-1', 'bytes=99999999-', 'garbage'])]],
      [1, () => ['If-None-Match', rng.string(20)]],
      [1, () => ['Content-Encoding', rng.pick(['gzip', 'deflate', 'br', 'identity', 'x-unknown'])]],
      [1, () => [rng.string(rng.range(1, 20), 'abcdefghijklmnopqrstuvwxyz-'), rng.wildString(rng.range(0, 40)).replace(/[\r\n\u0000]/g, ' ').replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '?')]],
      [1, () => ['X-Huge', 'h'.repeat(rng.range(1000, 20_000))]],
    ])();
    headers.push(h);
    kinds.push(`header ${h[0]}`);
    if (h[0] === 'Content-Encoding' && body && stateChanging && isApi && h[1] !== 'identity') mustRefuse = true;
  }
  headers.push(['Connection', 'close']);
  return { kind: `${route.method.toUpperCase()} ${route.path} [${kinds.join(', ') || 'plain'}]`, method, target, headers, ...(bodyOut ? { body: bodyOut } : {}), mustRefuse };
}
