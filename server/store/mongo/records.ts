/**
 * Conversions between lean mongo documents and the port's records. Every mapper copies the
 * record's fields by name, so no `_id`, `__v` or stray stored field ever leaks out.
 */
import { mongo } from 'mongoose';
import type {
  AuditRecord, CaseItemRecord, CaseRecord, MembershipRecord, MessageRecord, NotificationRecord, SessionRecord,
  ThreadRecord, UserRecord,
} from '../port.js';
import type {
  AuditDoc, CaseDoc, CaseItemDoc, MembershipDoc, MessageDoc, NotificationDoc, SessionDoc, ThreadDoc, UserDoc,
} from './models.js';

/** True for MongoDB's duplicate-key error, recognised by its code only (never by its message). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/** A stored user as the port's record. */
export function toUser(d: UserDoc): UserRecord {
  return {
    id: d._id, email: d.email, name: d.name ?? '', discipline: d.discipline, passwordHash: d.passwordHash, createdAt: d.createdAt,
    reminderMinutes: d.reminderMinutes ?? 15, calendarTokenHash: d.calendarTokenHash ?? null,
  };
}

/** A stored session as the port's record. */
export function toSession(d: SessionDoc): SessionRecord {
  return { id: d._id, userId: d.userId, createdAt: d.createdAt, expiresAt: d.expiresAt };
}

/** A stored case as the port's record, with fresh plain arrays. */
export function toCase(d: CaseDoc): CaseRecord {
  return {
    id: d._id,
    title: d.title ?? '',
    patientRef: d.patientRef ?? '',
    problem: d.problem ?? '',
    resistance: (d.resistance ?? []).map((r) => ({ source: r.source, description: r.description ?? '' })),
    requiredDisciplines: [...(d.requiredDisciplines ?? [])],
    status: d.status,
    createdBy: d.createdBy,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** A stored membership as the port's record. */
export function toMembership(d: MembershipDoc): MembershipRecord {
  return { caseId: d.caseId, userId: d.userId, role: d.role, discipline: d.discipline, addedBy: d.addedBy, addedAt: d.addedAt };
}

/** A stored audit entry as the port's record. */
export function toAudit(d: AuditDoc): AuditRecord {
  return {
    id: d._id,
    caseId: d.caseId ?? null,
    conferenceId: d.conferenceId ?? null,
    actorId: d.actorId ?? null,
    action: d.action,
    target: d.target ?? null,
    fields: [...(d.fields ?? [])],
    at: d.at,
  };
}

/** A stored thread as the port's record; the anchor is the nested object as stored. */
export function toThread(d: ThreadDoc): ThreadRecord {
  return {
    id: d._id, caseId: d.caseId, anchor: d.anchor, status: d.status, createdBy: d.createdBy, createdAt: d.createdAt,
    resolvedBy: d.resolvedBy ?? null, resolvedAt: d.resolvedAt ?? null, deletedAt: d.deletedAt ?? null, lastActivityAt: d.lastActivityAt,
  };
}

/** A stored message as the port's record, with a fresh plain mentions array. */
export function toMessage(d: MessageDoc): MessageRecord {
  return {
    id: d._id, caseId: d.caseId, threadId: d.threadId, authorId: d.authorId, body: d.body ?? '', mentions: [...(d.mentions ?? [])],
    seq: d.seq, requestId: d.requestId, createdAt: d.createdAt, editedAt: d.editedAt ?? null, deletedAt: d.deletedAt ?? null,
  };
}

/** A stored notification as the port's record. */
export function toNotification(d: NotificationDoc): NotificationRecord {
  return {
    id: d._id, userId: d.userId, caseId: d.caseId ?? null, kind: d.kind, threadId: d.threadId ?? null,
    conferenceId: d.conferenceId ?? null, occurrence: d.occurrence ?? null, actorId: d.actorId ?? null,
    createdAt: d.createdAt, readAt: d.readAt ?? null,
  };
}

/** A stored case item as the port's record (without its `kind`); `data` is the nested object as stored. */
export function toCaseItem<D>(d: CaseItemDoc): CaseItemRecord<D> {
  return { id: d._id, caseId: d.caseId, data: d.data as D, version: d.version, createdBy: d.createdBy, createdAt: d.createdAt, updatedAt: d.updatedAt };
}

/**
 * Stored binary data as a Uint8Array. lean() returns BSON Binary (not Buffer) for Buffer
 * fields; a Buffer is also accepted in case the driver was told to promote buffers.
 */
export function toBytes(value: unknown): Uint8Array {
  let bytes: Uint8Array;
  if (value instanceof mongo.Binary || (typeof value === 'object' && value !== null && (value as { _bsontype?: unknown })._bsontype === 'Binary')) {
    bytes = (value as mongo.Binary).value();
  } else if (value instanceof Uint8Array) {
    bytes = value;
  } else {
    throw new TypeError('stored document chunk holds no binary data');
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
