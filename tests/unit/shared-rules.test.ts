import { describe, expect, it } from 'vitest';
import { briefDocName, parseDocName } from '../../shared/brief.js';
import { initials, userColor } from '../../shared/colors.js';
import { abilitiesFor, can, ROLES } from '../../shared/roles.js';
import { SignUpBody } from '../../shared/schemas/auth.js';
import { CreateCaseBody, PatientRef, UpdateCaseBody, UpdateMemberBody } from '../../shared/schemas/cases.js';
import { fieldErrors, summarizeFieldErrors } from '../../shared/validation.js';

describe('roles', () => {
  it('lets only owners manage the team and archive', () => {
    expect(ROLES.filter((r) => can(r, 'manageTeam'))).toEqual(['owner']);
    expect(ROLES.filter((r) => can(r, 'archive'))).toEqual(['owner']);
  });

  it('lets owners and editors edit the brief; commenters and viewers read it', () => {
    expect(ROLES.filter((r) => can(r, 'editBrief'))).toEqual(['owner', 'editor']);
    expect(ROLES.every((r) => can(r, 'read'))).toBe(true);
    expect(ROLES.filter((r) => can(r, 'comment'))).toEqual(['owner', 'editor', 'commenter']);
  });

  it('lets members vote but viewers only watch; owners and editors open a vote, owners close it', () => {
    expect(ROLES.filter((r) => can(r, 'vote'))).toEqual(['owner', 'editor', 'commenter']);
    expect(ROLES.filter((r) => can(r, 'openVote'))).toEqual(['owner', 'editor']);
    expect(ROLES.filter((r) => can(r, 'closeVote'))).toEqual(['owner']);
  });

  it('freezes an archived case for every role, except that those who archive may restore', () => {
    for (const role of ROLES) {
      const a = abilitiesFor(role, 'archived');
      expect(a).toMatchObject({ read: true, editDetails: false, editBrief: false, comment: false, manageTeam: false, editRecords: false, manageChecklist: false });
      expect(a.archive).toBe(role === 'owner');
    }
    expect(can('editor', 'editBrief', 'decided')).toBe(true);
  });

  it('hands out a copy of the abilities, so a caller cannot change the table', () => {
    const a = abilitiesFor('viewer');
    a.editBrief = true;
    expect(can('viewer', 'editBrief')).toBe(false);
  });
});

describe('document names', () => {
  it('round-trips a brief name and refuses anything else', () => {
    const id = '3f2b1c9e-5d4a-4b7c-8e9f-0a1b2c3d4e5f';
    expect(parseDocName(briefDocName(id))).toEqual({ caseId: id, kind: 'brief' });
    expect(parseDocName(`case:${id}:secrets`)).toBeNull();
    expect(parseDocName('case:not-an-id:brief')).toBeNull();
    expect(parseDocName(`case:${id}:brief/../x`)).toBeNull();
  });
});

describe('patient references', () => {
  it('accepts pseudonymous codes', () => {
    for (const ok of ['PT-4821', 'mrn 1029', 'A1', 'case#7/2026']) expect(PatientRef.safeParse(ok).success).toBe(true);
  });

  it('refuses a name typed by habit, with a message that says why', () => {
    const r = PatientRef.safeParse('Jane Doe');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/not the patient's name/);
  });

  it('refuses markup and overly long references', () => {
    expect(PatientRef.safeParse('<b>1</b>').success).toBe(false);
    expect(PatientRef.safeParse('1'.repeat(41)).success).toBe(false);
  });
});

describe('request schemas', () => {
  it('fills defaults for a minimal case and trims text', () => {
    expect(CreateCaseBody.parse({ title: '  Denial  ', patientRef: 'PT-1' })).toEqual({
      title: 'Denial', patientRef: 'PT-1', problem: '', resistance: [], requiredDisciplines: [],
    });
  });

  it('refuses a repeated required discipline and an unknown resistance source', () => {
    const r = CreateCaseBody.safeParse({
      title: 'x', patientRef: 'PT-1', requiredDisciplines: ['pharmacy', 'pharmacy'], resistance: [{ source: 'lawyer', description: 'd' }],
    });
    expect(r.success).toBe(false);
    const fields = fieldErrors(r.error!);
    expect(fields['requiredDisciplines']).toMatch(/repeat/);
    expect(fields['resistance.0.source']).toMatch(/insurer, clinician, patient, family, other/);
  });

  it('refuses an empty update and names unknown fields', () => {
    expect(fieldErrors(UpdateCaseBody.safeParse({}).error!)).toEqual({ body: 'must change at least one field' });
    expect(fieldErrors(UpdateCaseBody.safeParse({ title: 'x', owner: 'me' }).error!)).toEqual({ owner: 'is not a known field' });
    expect(UpdateMemberBody.safeParse({}).success).toBe(false);
  });

  it('lower-cases emails and refuses objects where text belongs', () => {
    const ok = SignUpBody.parse({ email: 'Ann.Lee@Example.ORG', password: '0123456789', name: 'Ann', discipline: 'pharmacy' });
    expect(ok.email).toBe('ann.lee@example.org');
    const bad = SignUpBody.safeParse({ email: { $gt: '' }, password: '0123456789', name: 'Ann', discipline: 'pharmacy' });
    expect(fieldErrors(bad.error!)).toEqual({ email: 'must be an email address' });
  });

  it('summarizes field errors in one sentence', () => {
    expect(summarizeFieldErrors({ title: 'is required', patientRef: 'must contain a digit' })).toBe('Please correct: title is required; patientRef must contain a digit.');
  });
});

describe('avatars', () => {
  it('gives a person the same colour everywhere and readable initials', () => {
    expect(userColor('abc')).toBe(userColor('abc'));
    expect(userColor('abc')).toMatch(/^#[0-9a-f]{6}$/);
    expect(initials('Maria de la Cruz')).toBe('MC');
    expect(initials('  ')).toBe('?');
  });
});
