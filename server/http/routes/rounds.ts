import { CaseParams } from '../../../shared/schemas/cases.js';
import { BallotBody, FollowUpBody, OpenRoundBody, RecommendationBody, RoundListResponse, RoundParams, RoundResponse } from '../../../shared/schemas/rounds.js';
import type { RoundBundle } from '../../domain/decisions.js';
import type { Services } from '../../services.js';
import type { UserRecord } from '../../store/port.js';
import { roundViews } from '../../views.js';
import { defineRoute, type Route } from '../route.js';

/** Decision rounds: open a vote, cast or change a ballot, close it. */
export function roundRoutes(s: Services): Route[] {
  const one = async (user: UserRecord, bundle: RoundBundle) => ({ round: (await roundViews(s.store, user.id, [bundle]))[0] });
  const base = '/api/cases/:caseId/rounds';
  return [
    defineRoute({
      method: 'get', path: base, tag: 'decisions', auth: true,
      summary: "The case's decision rounds, oldest first (a blind round hides stances until it closes)",
      params: CaseParams,
      responses: { 200: { description: 'Rounds as the caller may see them.', schema: RoundListResponse } },
      handler: async ({ user, params }) => ({ status: 200, body: { rounds: await roundViews(s.store, user.id, await s.decisions.list(user, params.caseId)) } }),
    }),
    defineRoute({
      method: 'post', path: base, tag: 'decisions', auth: true,
      summary: 'Open a vote over two or more options (owners and editors)',
      params: CaseParams, body: OpenRoundBody,
      responses: { 201: { description: 'The new round.', schema: RoundResponse } },
      handler: async ({ user, params, body }) => ({ status: 201, body: await one(user, await s.decisions.open(user, params.caseId, body)) }),
    }),
    defineRoute({
      method: 'get', path: `${base}/:roundId`, tag: 'decisions', auth: true,
      summary: 'One round',
      params: RoundParams,
      responses: { 200: { description: 'The round.', schema: RoundResponse } },
      handler: async ({ user, params }) => ({ status: 200, body: await one(user, await s.decisions.get(user, params.caseId, params.roundId)) }),
    }),
    defineRoute({
      method: 'put', path: `${base}/:roundId/ballot`, tag: 'decisions', auth: true,
      summary: 'Cast or change my ballot until the round closes (owners, editors, commenters)',
      params: RoundParams, body: BallotBody,
      responses: { 200: { description: 'The round with my ballot.', schema: RoundResponse } },
      handler: async ({ user, params, body }) => ({ status: 200, body: await one(user, await s.decisions.cast(user, params.caseId, params.roundId, body)) }),
    }),
    defineRoute({
      method: 'post', path: `${base}/:roundId/recommendation`, tag: 'decisions', auth: true,
      summary: 'Write the unified recommendation of a decided round, once (owners); the case becomes decided',
      params: RoundParams, body: RecommendationBody,
      responses: { 200: { description: 'The round with its recommendation.', schema: RoundResponse } },
      handler: async ({ user, params, body }) => ({ status: 200, body: await one(user, await s.decisions.recommend(user, params.caseId, params.roundId, body.text)) }),
    }),
    defineRoute({
      method: 'post', path: `${base}/:roundId/follow-ups`, tag: 'decisions', auth: true,
      summary: 'Record whether the recommendation was carried out, and why not (owners and editors)',
      params: RoundParams, body: FollowUpBody,
      responses: { 201: { description: 'The round with its follow-ups.', schema: RoundResponse } },
      handler: async ({ user, params, body }) => {
        await s.followUps.record(user, params.caseId, params.roundId, body);
        return { status: 201, body: await one(user, await s.decisions.bundle(params.caseId, params.roundId)) };
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/:roundId/close`, tag: 'decisions', auth: true,
      summary: 'Close the round now and compute its outcome (owners)',
      params: RoundParams,
      responses: { 200: { description: 'The closed round.', schema: RoundResponse } },
      handler: async ({ user, params }) => ({ status: 200, body: await one(user, await s.decisions.close(user, params.caseId, params.roundId)) }),
    }),
  ];
}
