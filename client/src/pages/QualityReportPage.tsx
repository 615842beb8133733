import { useCallback, useEffect, useState } from 'react';
import type { QualityReportView } from '../../../shared/schemas/quality.js';
import { BarChart } from '../components/reports/BarChart.js';
import { CaseTable } from '../components/reports/CaseTable.js';
import { Figures } from '../components/reports/Figures.js';
import { ImplementationChart } from '../components/reports/ImplementationChart.js';
import { PeriodPicker } from '../components/reports/PeriodPicker.js';
import { defaultPeriod, formatDay, type Period } from '../components/reports/period.js';
import '../components/reports/reports.css';
import { ApiError, errorMessage } from '../lib/api.js';
import { useAuth } from '../lib/auth.js';
import { fullTime } from '../lib/format.js';
import { errorsFrom, type FormErrors } from '../lib/forms.js';
import { navigate, useLocation } from '../lib/router.js';
import { reportsApi } from '../lib/reportsApi.js';
import { useTitle } from '../lib/useTitle.js';

type Load =
  | { phase: 'loading' }
  | { phase: 'invalid'; errors: FormErrors }
  | { phase: 'error'; message: string }
  | { phase: 'ready'; report: QualityReportView };

/** The period in the address (?from=&to=), so that a report can be bookmarked and shared; else the last 90 days. */
function periodFrom(search: string): Period {
  const q = new URLSearchParams(search);
  const from = q.get('from');
  const to = q.get('to');
  return from !== null && to !== null ? { from, to } : defaultPeriod();
}

/**
 * The team's quality report over a period, for the cases the user is on: headline figures,
 * decisions by outcome and implementation at 30 and 90 days as accessible SVG charts, the
 * reasons, a per-case table of contributing disciplines and minutes, and the CSV download.
 */
export function QualityReportPage() {
  useTitle('Quality report');
  const { handleError } = useAuth();
  const search = useLocation().split('?')[1] ?? '';
  const [period, setPeriodState] = useState(() => periodFrom(search));
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // Back and forward move between periods.
  useEffect(() => {
    const p = periodFrom(search);
    setPeriodState((cur) => (cur.from === p.from && cur.to === p.to ? cur : p));
  }, [search]);

  const choose = useCallback((p: Period) => {
    setPeriodState(p);
    navigate(`/reports/quality?from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(p.to)}`);
  }, []);

  useEffect(() => {
    let live = true;
    setLoad({ phase: 'loading' });
    reportsApi.quality(period).then(
      (report) => live && setLoad({ phase: 'ready', report }),
      (err: unknown) => {
        handleError(err);
        if (!live) return;
        if (err instanceof ApiError && err.status === 400) setLoad({ phase: 'invalid', errors: errorsFrom(err) });
        else setLoad({ phase: 'error', message: errorMessage(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [period, attempt, handleError]);

  const r = load.phase === 'ready' ? load.report : null;
  const empty = r !== null && r.casesDiscussed === 0 && r.cases.length === 0 && r.decisions.decided + r.decisions.deferred + r.decisions.notReached === 0;

  return (
    <div className="page report-page">
      <div className="page-head">
        <h1 tabIndex={-1}>Quality report</h1>
        {r && !empty && (
          <a className="btn" href={reportsApi.qualityCsvUrl(period)} download>
            Download CSV
          </a>
        )}
      </div>
      <p className="muted report-intro">
        How the team prepares, decides and follows through, for the cases you are on: the measures research on multidisciplinary team meetings uses.
      </p>
      <PeriodPicker period={period} serverErrors={load.phase === 'invalid' ? load.errors : null} onPeriod={choose} />

      <div aria-busy={load.phase === 'loading'}>
        <p className="muted small report-period" role="status">
          {load.phase === 'loading' && 'Loading the report…'}
          {r && `${formatDay(r.from)} to ${formatDay(r.to)}, days in the team’s time zone (${r.timeZone}). Made ${fullTime(r.generatedAt)}.`}
        </p>
        {load.phase === 'error' && (
          <div className="notice error" role="alert">
            <p>The report could not be made: {load.message}</p>
            <button type="button" className="btn" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </button>
          </div>
        )}
        {r && empty && (
          <div className="empty-state">
            <p className="empty-title">No case in this period</p>
            <p className="muted">No case of yours was on a meeting’s agenda or had a vote closed between these dates. Try a longer period.</p>
          </div>
        )}
        {r && !empty && (
          <>
            <section aria-labelledby="figures-heading" className="report-section">
              <h2 id="figures-heading">Headline figures</h2>
              <Figures report={r} />
            </section>
            <div className="report-charts">
              <section aria-labelledby="decisions-heading" className="report-section card">
                <h2 id="decisions-heading">Decisions</h2>
                <BarChart
                  title="Decisions by outcome"
                  desc={`Votes closed in the period: ${r.decisions.decided} decided, ${r.decisions.deferred} deferred for more information, ${r.decisions.notReached} with no decision reached.`}
                  unit="votes"
                  bars={[
                    { label: 'Decided', value: r.decisions.decided, tone: 'fill-implemented' },
                    { label: 'Deferred', value: r.decisions.deferred, tone: 'fill-partially_implemented' },
                    { label: 'Not reached', value: r.decisions.notReached, tone: 'fill-not_implemented' },
                  ]}
                />
              </section>
              <section aria-labelledby="implementation-heading" className="report-section card">
                <h2 id="implementation-heading">Implementation</h2>
                <ImplementationChart implementation={r.implementation} />
              </section>
            </div>
            <section aria-labelledby="cases-heading" className="report-section">
              <h2 id="cases-heading">Cases</h2>
              {r.cases.length === 0 ? <p className="muted">No case was discussed or decided in the period.</p> : <CaseTable cases={r.cases} />}
            </section>
          </>
        )}
      </div>
    </div>
  );
}
