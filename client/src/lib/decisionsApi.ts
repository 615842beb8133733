import type { BallotBody, FollowUpBody, OpenRoundBody, RoundView } from '../../../shared/schemas/rounds.js';
import { request } from './api.js';

const enc = encodeURIComponent;
const rounds = (caseId: string) => `/api/cases/${enc(caseId)}/rounds`;
const round = (caseId: string, roundId: string) => `${rounds(caseId)}/${enc(roundId)}`;
type One = { round: RoundView };

/**
 * Typed calls for a case's decision rounds: open a vote, cast or change a ballot, close, write
 * the recommendation and record follow-ups. Every call rejects with an ApiError on failure.
 */
export const decisionsApi = {
  listRounds: (caseId: string) => request<{ rounds: RoundView[] }>('GET', rounds(caseId)),
  openRound: (caseId: string, body: OpenRoundBody) => request<One>('POST', rounds(caseId), body),
  castBallot: (caseId: string, roundId: string, body: BallotBody) => request<One>('PUT', `${round(caseId, roundId)}/ballot`, body),
  closeRound: (caseId: string, roundId: string) => request<One>('POST', `${round(caseId, roundId)}/close`, {}),
  recommend: (caseId: string, roundId: string, text: string) => request<One>('POST', `${round(caseId, roundId)}/recommendation`, { text }),
  addFollowUp: (caseId: string, roundId: string, body: FollowUpBody) => request<One>('POST', `${round(caseId, roundId)}/follow-ups`, body),
};
