/** Accessible, distinct colours for collaborators' cursors and avatars (AA contrast on white text). */
const PALETTE = [
  '#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#b45309', '#0e7490', '#be185d', '#4d7c0f',
  '#6d28d9', '#9a3412', '#1e40af', '#115e59', '#86198f', '#854d0e', '#9f1239', '#3f6212',
];

/** A stable colour for a user, so the same person has the same colour on every screen. */
export function userColor(userId: string): string {
  let h = 0;
  for (let i = 0; i < userId.length; i++) h = (h * 31 + userId.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

/** Up to two initials for an avatar. */
export function initials(name: string): string {
  // "Lucía Morales, LCSW" and "Dr. Amara Okafor": credentials and titles are not initials.
  const bare = name.split(',')[0]!.replace(/^(dr|prof|mr|mrs|ms|mx)\.?\s+/i, '');
  const parts = bare.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}
