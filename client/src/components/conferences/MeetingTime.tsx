import { organizerText, viewerTimeZone, whenText } from '../../lib/conferenceTime.js';

interface Props {
  start: string;
  end: string;
  /** The organizer's zone, shown beside the viewer's own when it differs. */
  timeZone: string;
  /** Put the organizer's time on its own line. */
  stacked?: boolean;
}

/**
 * A meeting's time in the viewer's own zone ("Fri, 5 Mar 2027, 08:00–09:00 GMT-5"), and the
 * organizer's wall clock when theirs differs ("14:00–15:00 CET in Europe/Berlin").
 */
export function MeetingTime({ start, end, timeZone, stacked = false }: Props) {
  const viewer = viewerTimeZone();
  const theirs = organizerText(start, end, timeZone, viewer);
  return (
    <span className={`meeting-time${stacked ? ' stacked' : ''}`}>
      <time dateTime={start} className="meeting-time-mine">
        {whenText(start, end, viewer)}
      </time>
      {theirs && (
        <span className="meeting-time-theirs">
          <span className="visually-hidden">, for the organizer: </span>
          <span aria-hidden="true">{stacked ? '' : ' · '}</span>
          {theirs}
        </span>
      )}
    </span>
  );
}
