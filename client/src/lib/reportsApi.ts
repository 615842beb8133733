import type { QualityQuery, QualityReportView } from '../../../shared/schemas/quality.js';
import { request } from './api.js';

const query = (q: QualityQuery) => `from=${encodeURIComponent(q.from)}&to=${encodeURIComponent(q.to)}`;

/** Typed calls for the team's reports. Every call rejects with an ApiError on failure. */
export const reportsApi = {
  /** The quality report over a period (whole days in the team's time zone), for the cases I am on. */
  quality: (q: QualityQuery) => request<QualityReportView>('GET', `/api/reports/quality?${query(q)}`),
  /** Where the browser downloads the same report as CSV (a plain link, not a fetch). */
  qualityCsvUrl: (q: QualityQuery) => `/api/reports/quality.csv?${query(q)}`,
};
