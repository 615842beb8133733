import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describeError, type Logger } from '../../log.js';
import type { BusKind, BusListener, DocumentBus } from '../yjs/bus.js';

/** One channel per document, so a process receives only the documents it holds. */
export const DOC_CHANNEL_PREFIX = 'consilium:doc:';

const KINDS: readonly BusKind[] = ['update', 'awareness', 'state', 'state-answer'];

interface BusMessage {
  kind: BusKind;
  from: string;
  /** The one process it is for; empty for every holder of the document. */
  to: string;
  payload: Uint8Array;
}

/** A message as published: kind, sender, addressee, payload (lib0 encoding, as Yjs uses). */
export function encodeBusMessage(m: BusMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, KINDS.indexOf(m.kind));
  encoding.writeVarString(encoder, m.from);
  encoding.writeVarString(encoder, m.to);
  encoding.writeVarUint8Array(encoder, m.payload);
  return encoding.toUint8Array(encoder);
}

export function decodeBusMessage(data: Uint8Array): BusMessage {
  const decoder = decoding.createDecoder(data);
  const kind = KINDS[decoding.readVarUint(decoder)];
  if (!kind) throw new Error('unknown message kind');
  return { kind, from: decoding.readVarString(decoder), to: decoding.readVarString(decoder), payload: decoding.readVarUint8Array(decoder) };
}

/**
 * The document bus over Redis pub/sub: one PUBLISH per message on the document's channel,
 * tagged with this process's id so that it ignores its own. Publishing never waits: while
 * Redis is unreachable messages are dropped, and when both connections are back (and every
 * channel is subscribed again) each listener is told to reconcile (`joined`).
 */
export class RedisDocumentBus implements DocumentBus {
  /** This process: its own messages are ignored, and answers addressed to others too. */
  readonly id = randomUUID();
  private readonly listeners = new Map<string, BusListener>();
  /** True from the moment both connections are ready and every channel is subscribed, until one closes. */
  private online = false;

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly log: Logger,
  ) {
    sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.deliver(channel.toString(), message));
    for (const client of [pub, sub]) {
      client.on('ready', () => this.rejoin());
      client.on('close', () => {
        this.online = false;
      });
    }
    this.rejoin();
  }

  publish(docName: string, kind: BusKind, payload: Uint8Array, to = ''): void {
    if (this.pub.status !== 'ready') return;
    const message = Buffer.from(encodeBusMessage({ kind, from: this.id, to, payload }));
    this.pub.publish(DOC_CHANNEL_PREFIX + docName, message).catch((err: unknown) => this.log.warn('redis.publish_failed', { doc: docName, ...describeError(err) }));
  }

  subscribe(docName: string, listener: BusListener): void {
    const channel = DOC_CHANNEL_PREFIX + docName;
    this.listeners.set(channel, listener);
    // While offline the command waits for the reconnection, after which rejoin() reconciles anyway;
    // a listener may so be told twice, which costs one more state exchange and nothing else.
    this.sub.subscribe(channel).then(
      () => {
        if (this.online && this.listeners.get(channel) === listener) listener.joined();
      },
      (err: unknown) => this.log.warn('redis.subscribe_failed', { doc: docName, ...describeError(err) }),
    );
  }

  unsubscribe(docName: string, listener: BusListener): void {
    const channel = DOC_CHANNEL_PREFIX + docName;
    if (this.listeners.get(channel) !== listener) return;
    this.listeners.delete(channel);
    this.sub.unsubscribe(channel).catch(() => undefined);
  }

  /** Once both connections are up: makes sure every channel is subscribed, then has every document reconcile. */
  private rejoin(): void {
    if (this.online || this.pub.status !== 'ready' || this.sub.status !== 'ready') return;
    const channels = [...this.listeners.keys()];
    // ioredis resubscribes by itself on reconnection; subscribing again (a no-op for Redis) tells us when it is done.
    const confirmed = channels.length > 0 ? this.sub.subscribe(...channels) : Promise.resolve();
    confirmed.then(
      () => {
        if (this.online || this.pub.status !== 'ready' || this.sub.status !== 'ready') return;
        this.online = true;
        for (const listener of this.listeners.values()) listener.joined();
      },
      (err: unknown) => this.log.warn('redis.resubscribe_failed', describeError(err)),
    );
  }

  private deliver(channel: string, data: Buffer): void {
    const listener = this.listeners.get(channel);
    if (!listener) return;
    try {
      const message = decodeBusMessage(data);
      if (message.from === this.id || (message.to !== '' && message.to !== this.id)) return;
      listener.receive(message.kind, message.payload, message.from);
    } catch (err) {
      this.log.warn('redis.message_rejected', { doc: channel.slice(DOC_CHANNEL_PREFIX.length), ...describeError(err) });
    }
  }
}
