import { initials } from '../../../shared/colors.js';

interface AvatarProps {
  name: string;
  color: string;
  /** What the tooltip and screen readers say instead of the bare name, e.g. "Ana Ruiz (you)". */
  label?: string;
  /** Extra text for the tooltip, e.g. the discipline. */
  detail?: string;
  size?: 'sm' | 'md';
  /** True when the name is already written next to it, so screen readers skip the avatar. */
  decorative?: boolean;
}

/**
 * A round badge with a person's initials in their collaborator colour. Unless decorative,
 * it is focusable and shows the name in a tooltip on hover and on keyboard focus.
 */
export function Avatar({ name, color, label: given, detail, size = 'md', decorative = false }: AvatarProps) {
  const label = detail ? `${given ?? name}, ${detail}` : (given ?? name);
  if (decorative) {
    return (
      <span className={`avatar ${size}`} style={{ backgroundColor: color }} aria-hidden="true">
        {initials(name)}
      </span>
    );
  }
  return (
    <span className={`avatar ${size} has-tip`} style={{ backgroundColor: color }} role="img" aria-label={label} data-tip={label} tabIndex={0}>
      {initials(name)}
    </span>
  );
}
