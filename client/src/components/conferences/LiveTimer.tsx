import { useEffect, useState } from 'react';
import { clockText } from '../../lib/conferenceTime.js';

/** The time spent on the current case against its allotted minutes, ticking each second; over time it says so. */
export function LiveTimer({ since, minutes }: { since: string; minutes: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const elapsed = Math.max(0, now - Date.parse(since));
  const allotted = minutes * 60_000;
  const over = elapsed > allotted;
  return (
    <div className={`live-timer${over ? ' is-over' : ''}`}>
      {/* The ticking digits are hidden from screen readers; the minute summary below is not. */}
      <span className="live-timer-clock" role="timer" aria-hidden="true">
        {clockText(elapsed)}
      </span>
      <span className="live-timer-of">
        {over ? `Over time by ${clockText(elapsed - allotted)} (${minutes} min allotted)` : `of ${minutes} min allotted`}
      </span>
      <span className="visually-hidden">
        {Math.floor(elapsed / 60_000)} of {minutes} minutes used{over ? ', over time' : ''}.
      </span>
    </div>
  );
}
