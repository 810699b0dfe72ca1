// Exports: the whole result as JSON, and the quotes as CSV (RFC 4180, for spreadsheets).

/** The result as pretty JSON, with the text it describes first (the gold files' shape). */
export function toJson(text, result) {
  return JSON.stringify({ text, ...result }, null, 2) + '\n';
}

// A cell that starts with one of these is read as a formula by Excel, LibreOffice and Sheets
// (OWASP "CSV injection"); a leading apostrophe makes it plain text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula-guarded, quoted when it holds a comma, quote or line break. */
export function csvField(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let s = String(value);
  if (FORMULA_START.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export const CSV_COLUMNS = ['speaker', 'quote', 'kind', 'partial', 'start', 'end', 'cue', 'speaker_mention', 'confidence'];

/** The quotes as CSV, one row per quote (offsets: UTF-16 code units, end exclusive). */
export function quotesToCsv(result) {
  const rows = [CSV_COLUMNS];
  for (const q of result?.quotes ?? []) {
    rows.push([
      q.speaker_name ?? q.speaker?.text ?? '',
      q.text,
      q.direct ? 'direct' : 'indirect',
      q.partial ? 'yes' : 'no',
      q.start,
      q.end,
      q.cue?.text ?? '',
      q.speaker?.text ?? '',
      q.confidence,
    ]);
  }
  // A byte-order mark so that Excel reads the file as UTF-8 (curly quotes, accents, €).
  return '\ufeff' + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
