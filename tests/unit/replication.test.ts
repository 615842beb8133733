import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';
import type { BusKind, BusListener, DocumentBus } from '../../server/realtime/yjs/bus.js';
import { SharedDocument } from '../../server/realtime/yjs/document.js';
import { GroupCommitter } from '../../server/realtime/yjs/persistence.js';
import { replicate } from '../../server/realtime/yjs/replication.js';
import type { DocumentRepository } from '../../server/store/port.js';

/**
 * The replication rules between processes, over an in-memory bus that can cut one process off:
 * the real transport is exercised by tests/integration/scale-out.test.ts.
 */
class Network {
  readonly cut = new Set<string>();
  readonly sent: { from: string; kind: BusKind; to: string | undefined }[] = [];
  private readonly members = new Map<string, BusListener>();

  bus(id: string): DocumentBus {
    return {
      publish: (_doc, kind, payload, to) => {
        if (this.cut.has(id)) return; // dropped, as while Redis is unreachable
        this.sent.push({ from: id, kind, to });
        for (const [other, listener] of this.members) {
          if (other !== id && !this.cut.has(other) && (to === undefined || to === other)) listener.receive(kind, payload, id);
        }
      },
      subscribe: (_doc, listener) => void this.members.set(id, listener),
      unsubscribe: () => void this.members.delete(id),
    };
  }

  /** The processes receiving the document's messages. */
  listening(): string[] {
    return [...this.members.keys()];
  }

  /** The process's link is back: its document reconciles. */
  rejoin(id: string): void {
    this.members.get(id)!.joined();
  }
}

const memoryRepo: DocumentRepository = { append: async () => undefined, appendMany: async () => undefined, load: async () => [], compact: async () => undefined };
const committer = new GroupCommitter(memoryRepo, { commitIntervalMs: 10_000, compactAfter: 1000 }, createLogger('silent'));

function holder(network: Network, id: string): SharedDocument {
  const saver = committer.saver('doc');
  const document = new SharedDocument('doc', saver, () => undefined);
  replicate(document, network.bus(id));
  network.rejoin(id);
  return document;
}

const text = (d: SharedDocument) => d.doc.getText('t').toString();

describe('replication between processes', () => {
  it('applies each local change once elsewhere, without publishing it back', () => {
    const network = new Network();
    const a = holder(network, 'a');
    const b = holder(network, 'b');
    network.sent.length = 0;
    a.doc.getText('t').insert(0, 'hello');
    expect(text(b)).toBe('hello');
    expect(network.sent).toEqual([{ from: 'a', kind: 'update', to: undefined }]);
  });

  it('converges after one process was cut off, even when only that one notices and it only deleted', () => {
    const network = new Network();
    const a = holder(network, 'a');
    const b = holder(network, 'b');
    a.doc.getText('t').insert(0, 'hello world');
    expect(text(b)).toBe('hello world');

    network.cut.add('b');
    a.doc.getText('t').insert(0, '> ');
    b.doc.getText('t').delete(5, 6); // " world": a deletion changes no state vector
    expect(text(a)).toBe('> hello world');
    expect(text(b)).toBe('hello');

    network.cut.delete('b');
    network.rejoin('b'); // a never saw an outage; b's state request makes both sides answer
    expect(text(a)).toBe('> hello');
    expect(text(b)).toBe('> hello');
  });

  it('stops when the document is unloaded', () => {
    const network = new Network();
    const a = holder(network, 'a');
    const b = holder(network, 'b');
    expect(network.listening()).toEqual(['a', 'b']);
    b.destroy();
    expect(network.listening()).toEqual(['a']);
    a.doc.getText('t').insert(0, 'x');
    expect(text(a)).toBe('x');
  });
});
