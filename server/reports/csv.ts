/**
 * One CSV line for the downloads (quality report, audit log): every cell quoted, and a cell that
 * starts with = + - @ (or a tab or carriage return) prefixed with ' so a spreadsheet shows it as
 * text instead of running it as a formula.
 */
export function csvLine(...cells: unknown[]): string {
  return cells
    .map((v) => {
      let s = v === null || v === undefined ? '' : String(v);
      if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
      return `"${s.replace(/"/g, '""')}"`;
    })
    .join(',');
}

/** Lines joined as RFC 4180 asks (CRLF, with a final one). */
export function csvText(lines: string[]): string {
  return lines.join('\r\n') + '\r\n';
}
