/**
 * Case teams in the `memberships` collection, with the last-owner guarantee kept without
 * transactions (see MongoMembershipRepository).
 */
import { UniqueViolation } from '../errors.js';
import type { MembershipChangeResult, MembershipRecord, MembershipRepository } from '../port.js';
import type { MembershipDoc, Models } from './models.js';
import { isDuplicateKey, toMembership } from './records.js';

type Changes = Partial<Pick<MembershipDoc, 'role' | 'discipline'>>;

const NOT_FOUND: MembershipChangeResult = { ok: false, reason: 'not_found' };
/** The stored fields of a membership besides its (caseId, userId) key. */
const RESTORED = ['role', 'discipline', 'addedBy', 'addedAt'] as const;

const LAST_OWNER: MembershipChangeResult = { ok: false, reason: 'last_owner' };

/**
 * Memberships, one per (caseId, userId) through a unique index.
 *
 * A standalone MongoDB server has no multi-document transactions, so "check the owner count,
 * then change" cannot be made atomic. Instead a change that takes ownership away is applied
 * first, as one atomic single-document write, and the owners are counted afterwards; when
 * none is left, the change undoes itself (restoring the previous membership by upsert) and
 * answers 'last_owner'. Every write is acknowledged before its count starts, so of two
 * owners stepping down at once at least the later counter sees the other's write and fails:
 * both may fail, never both succeed, and a case never rests with zero owners. Other owners
 * may briefly see a transient state and fail too, which is safe. Changes that keep or grant
 * ownership need no check.
 */
export class MongoMembershipRepository implements MembershipRepository {
  constructor(private readonly m: Models) {}

  async add(r: MembershipRecord): Promise<void> {
    try {
      await this.m.Membership.create({ caseId: r.caseId, userId: r.userId, role: r.role, discipline: r.discipline, addedBy: r.addedBy, addedAt: r.addedAt });
    } catch (err) {
      if (isDuplicateKey(err)) throw new UniqueViolation('membership');
      throw err;
    }
  }

  async find(caseId: string, userId: string): Promise<MembershipRecord | null> {
    const d = await this.m.Membership.findOne({ caseId, userId }).lean<MembershipDoc>();
    return d ? toMembership(d) : null;
  }

  async listByCase(caseId: string): Promise<MembershipRecord[]> {
    const docs = await this.m.Membership.find({ caseId }).sort({ addedAt: 1, userId: 1 }).lean<MembershipDoc[]>();
    return docs.map(toMembership);
  }

  async update(caseId: string, userId: string, changes: { role?: MembershipRecord['role']; discipline?: MembershipRecord['discipline'] }): Promise<MembershipChangeResult> {
    const set: Changes = {};
    if (changes.role !== undefined) set.role = changes.role;
    if (changes.discipline !== undefined) set.discipline = changes.discipline;
    if (set.role === undefined && set.discipline === undefined) {
      const current = await this.find(caseId, userId);
      return current ? { ok: true, membership: current } : NOT_FOUND;
    }

    const before = await this.m.Membership
      .findOneAndUpdate({ caseId, userId }, { $set: set }, { returnDocument: 'before' })
      .lean<MembershipDoc>();
    if (!before) return NOT_FOUND;
    const after: MembershipRecord = { ...toMembership(before), ...set };
    if (before.role === 'owner' && after.role !== 'owner' && !(await this.hasOwner(caseId))) {
      await this.restore(before, set.discipline === undefined ? ['role'] : ['role', 'discipline']);
      return LAST_OWNER;
    }
    return { ok: true, membership: after };
  }

  async remove(caseId: string, userId: string): Promise<MembershipChangeResult> {
    const before = await this.m.Membership.findOneAndDelete({ caseId, userId }).lean<MembershipDoc>();
    if (!before) return NOT_FOUND;
    if (before.role === 'owner' && !(await this.hasOwner(caseId))) {
      await this.restore(before, RESTORED);
      return LAST_OWNER;
    }
    return { ok: true, membership: toMembership(before) };
  }

  /** Whether the case has at least one owner right now (a fresh read on the primary). */
  private async hasOwner(caseId: string): Promise<boolean> {
    return (await this.m.Membership.exists({ caseId, role: 'owner' }).read('primary')) !== null;
  }

  /**
   * Undoes our own change: puts back the fields we changed and, if the membership is gone
   * (we removed it, or a racing call did after our demotion), recreates it as it was.
   */
  private async restore(before: MembershipDoc, changed: readonly (typeof RESTORED)[number][]): Promise<void> {
    const $set: Record<string, string> = {};
    const $setOnInsert: Record<string, string> = {};
    for (const key of RESTORED) (changed.includes(key) ? $set : $setOnInsert)[key] = before[key];
    // MongoDB 4.4 refuses an empty update operator, so send only the non-empty ones.
    const update = Object.keys($setOnInsert).length > 0 ? { $set, $setOnInsert } : { $set };
    await this.m.Membership.updateOne({ caseId: before.caseId, userId: before.userId }, update, { upsert: true });
  }
}
