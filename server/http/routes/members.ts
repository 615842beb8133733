import {
  AddMemberBody, CaseParams, MemberListResponse, MemberParams, MemberResponse, UpdateMemberBody,
} from '../../../shared/schemas/cases.js';
import { presentMember } from '../../presenters.js';
import type { Services } from '../../services.js';
import { defineRoute, type Route } from '../route.js';

/** The team of a case. Owners manage it; any member may leave unless they are the last owner. */
export function memberRoutes(s: Services): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/api/cases/:caseId/members', tag: 'team', auth: true,
      summary: 'List the team of a case',
      params: CaseParams,
      responses: { 200: { description: 'The team, in the order they joined.', schema: MemberListResponse } },
      handler: async ({ user, params }) => ({
        status: 200,
        body: { members: (await s.team.list(user, params.caseId)).map(presentMember) },
      }),
    }),
    defineRoute({
      method: 'post', path: '/api/cases/:caseId/members', tag: 'team', auth: true,
      summary: 'Invite an existing user by email (owners only)',
      params: CaseParams,
      body: AddMemberBody,
      responses: { 201: { description: 'The new member.', schema: MemberResponse } },
      handler: async ({ user, params, body }) => ({
        status: 201,
        body: { member: presentMember(await s.team.add(user, params.caseId, body)) },
      }),
    }),
    defineRoute({
      method: 'patch', path: '/api/cases/:caseId/members/:userId', tag: 'team', auth: true,
      summary: "Change a member's role or discipline (owners only; the last owner stays an owner)",
      params: MemberParams,
      body: UpdateMemberBody,
      responses: { 200: { description: 'The changed member.', schema: MemberResponse } },
      handler: async ({ user, params, body }) => ({
        status: 200,
        body: { member: presentMember(await s.team.update(user, params.caseId, params.userId, body)) },
      }),
    }),
    defineRoute({
      method: 'delete', path: '/api/cases/:caseId/members/:userId', tag: 'team', auth: true,
      summary: 'Remove a member (owners), or leave the case (yourself); never the last owner',
      params: MemberParams,
      responses: { 204: { description: 'Removed.' } },
      handler: async ({ user, params }) => {
        await s.team.remove(user, params.caseId, params.userId);
        return { status: 204 };
      },
    }),
  ];
}
