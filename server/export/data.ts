/**
 * Everything an export needs about one case, gathered once from the store (see gather.ts) and
 * then turned into documents (documents.ts) and an HL7 FHIR R4 Bundle (fhir.ts). Plain values
 * only; times are UTC ISO strings, dates YYYY-MM-DD.
 */
import type { Discipline } from '../../shared/disciplines.js';
import type { Role } from '../../shared/roles.js';
import type { ResistanceEntry } from '../../shared/schemas/cases.js';
import type { ConferenceKind } from '../../shared/schemas/conferences.js';
import type { DecisionRule, Result, Stance } from '../../shared/decision.js';
import type { CoverageData, DecisionRecord, EvidenceData, OptionData, RoundRecord } from '../store/port.js';

export interface ExportPerson {
  id: string;
  name: string;
  discipline: Discipline;
  role: Role;
}

export interface ExportEvidence extends EvidenceData {
  id: string;
  /** Its citation number in the brief and the exports (1-based, library order). */
  number: number;
}

export interface ExportOption extends OptionData {
  id: string;
  /** Whether this is the option the team recommended. */
  chosen: boolean;
}

export interface ExportBallot {
  voter: { id: string; name: string; discipline: Discipline };
  defer: string | null;
  stances: { optionId: string; stance: Stance; rationale: string }[];
}

export interface ExportDecision {
  roundId: string;
  question: string;
  rule: DecisionRule;
  threshold: number | null;
  quorum: { minVoters: number; requiredDisciplines: Discipline[] };
  openedAt: string;
  closedAt: string;
  result: Result;
  ballots: ExportBallot[];
  /** `writtenBy` is the writer's user id. */
  recommendation: RoundRecord['recommendation'];
}

export interface ExportCoverage extends CoverageData {
  id: string;
}

export interface ExportConference {
  id: string;
  title: string;
  kind: ConferenceKind;
  /** The meeting where the case was on the agenda. */
  start: string;
  end: string;
  /** Attendance recorded in live mode (names), or the accepted invitees when none was recorded. */
  participants: { id: string; name: string }[];
  status: 'booked' | 'fulfilled' | 'cancelled';
  outcome: string | null;
}

/** A brief section: its heading and its paragraphs, from the snapshot taken at the decision. */
export interface BriefSection {
  heading: string;
  paragraphs: string[];
}

export interface ExportData {
  case: {
    id: string;
    title: string;
    /** Pseudonymous; never a name. */
    patientRef: string;
    problem: string;
    resistance: ResistanceEntry[];
    requiredDisciplines: Discipline[];
    createdAt: string;
  };
  team: ExportPerson[];
  /** Who contributed what (comments, evidence, ballots), per person id. */
  contributions: DecisionRecord['contributions'];
  evidence: ExportEvidence[];
  options: ExportOption[];
  /** The round that decided the case; null while undecided (then only drafts can be made). */
  decision: ExportDecision | null;
  coverage: ExportCoverage[];
  conferences: ExportConference[];
  /** The brief as it stood at the decision (or now, for a draft), as sections. */
  brief: BriefSection[];
  /** Where the brief came from: the snapshot stored with the decision, or the live brief for a draft. */
  briefSource: 'decision_snapshot' | 'current';
  /** The team's time zone: dates in the documents are its days. */
  timeZone: string;
}
