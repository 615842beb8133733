import { QualityQuery, QualityReportView } from '../../../shared/schemas/quality.js';
import { computeQuality, gatherQuality, qualityCsv } from '../../reports/quality.js';
import type { Services } from '../../services.js';
import type { UserRecord } from '../../store/port.js';
import { defineRoute, type Route } from '../route.js';

/** The team's quality report over a period, for the cases the user is on; as JSON and as CSV. */
export function reportRoutes(s: Services): Route[] {
  const report = async (user: UserRecord, q: { from: string; to: string }) =>
    computeQuality(await gatherQuality(s.store, user.id), { ...q, timeZone: s.config.timeZone }, s.clock.now().toISOString());
  return [
    defineRoute({
      method: 'get', path: '/api/reports/quality', tag: 'reports', auth: true,
      summary: "The quality report over a period (days in the team's time zone), for the cases I am on",
      query: QualityQuery,
      responses: { 200: { description: 'The report.', schema: QualityReportView } },
      handler: async ({ user, query }) => ({ status: 200, body: await report(user, query) }),
    }),
    defineRoute({
      method: 'get', path: '/api/reports/quality.csv', tag: 'reports', auth: true,
      summary: 'The same report as CSV',
      query: QualityQuery,
      responses: { 200: { description: 'CSV: the figures, then one row per case.', contentType: 'text/csv' } },
      handler: async ({ user, query }) => ({
        status: 200,
        file: { contentType: 'text/csv; charset=utf-8', text: qualityCsv(await report(user, query)), filename: `consilium-quality-${query.from}-to-${query.to}.csv` },
      }),
    }),
  ];
}
