import { userColor } from '../../../shared/colors.js';
import { DISCIPLINE_LABELS } from '../../../shared/disciplines.js';
import type { PresentUser } from '../../../shared/events.js';
import { Avatar } from './Avatar.js';

/** Who has the case open now, as coloured initials with their names for tooltips and screen readers. */
export function PresenceAvatars({ people, meId }: { people: PresentUser[]; meId: string }) {
  const others = people.filter((p) => p.userId !== meId).length;
  return (
    <div className="presence" aria-label={`Here now: ${people.length} ${people.length === 1 ? 'person' : 'people'}`} role="group">
      <ul className="presence-list">
        {people.map((p) => (
          <li key={p.userId}>
            <Avatar name={p.name} label={p.userId === meId ? `${p.name} (you)` : p.name} color={userColor(p.userId)} detail={DISCIPLINE_LABELS[p.discipline]} />
          </li>
        ))}
      </ul>
      <span className="presence-count muted small" aria-hidden="true">
        {others === 0 ? 'Only you here' : `${others} other${others === 1 ? '' : 's'} here`}
      </span>
    </div>
  );
}
