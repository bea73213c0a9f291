/**
 * The little of Graphviz's DOT language the diagram writes: quoted IDs, attribute lists and
 * HTML-like table labels. Every value is quoted and escaped, so no configured name can break the
 * syntax.
 */

/** An HTML-like label (`<...>` in DOT), already escaped: made by table(). */
export interface HtmlLabel {
  readonly html: string;
}

/**
 * An attribute's value: a string or number, the lines of a label (centred, DOT's `\n` between
 * them), or an HTML-like label.
 */
export type DotValue = string | number | readonly string[] | HtmlLabel;

/** Attributes of a graph, node or edge, written in the order given (the output stays byte-stable). */
export type DotAttributes = Readonly<Record<string, DotValue>>;

/** The escaped inside of a DOT quoted string: backslashes and double quotes escaped, line breaks as spaces. */
function escaped(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\r\n]+/g, ' ');
}

/** A DOT quoted string (IDs and values). */
export function quoted(text: string): string {
  return `"${escaped(text)}"`;
}

function value(v: DotValue): string {
  if (typeof v === 'number') return quoted(String(v));
  if (typeof v === 'string') return quoted(v);
  if ('html' in v) return `<${v.html}>`;
  return `"${v.map(escaped).join('\\n')}"`;
}

/** ` [key="value", ...]`, or nothing for no attributes. */
export function attributes(attrs: DotAttributes): string {
  const parts = Object.entries(attrs).map(([k, v]) => `${k}=${value(v)}`);
  return parts.length ? ` [${parts.join(', ')}]` : '';
}

/** Text inside an HTML-like label: the characters HTML gives a meaning escaped. */
export function htmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\r\n]+/g, ' ');
}

/** One row of a table: its cells' texts, and the port edges attach to (its first cell). */
export interface TableRow {
  readonly cells: readonly string[];
  /** @default none (no edge ends at this row) */
  readonly port?: string;
}

/**
 * A table label: a shaded title row across every column, then one row per entry, cells left
 * aligned. Rows keep their order, whatever the layout does with separate boxes.
 */
export function table(title: string, rows: readonly TableRow[]): HtmlLabel {
  const columns = Math.max(1, ...rows.map((r) => r.cells.length));
  const cell = (text: string, port?: string) => `<TD ALIGN="LEFT"${port === undefined ? '' : ` PORT="${htmlText(port)}"`}>${htmlText(text)}</TD>`;
  const body = rows.map((r) => `<TR>${r.cells.map((c, i) => cell(c, i === 0 ? r.port : undefined)).join('')}</TR>`);
  return {
    html: `<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="5"><TR><TD COLSPAN="${columns}" BGCOLOR="#eeeeee">${htmlText(title)}</TD></TR>${body.join('')}</TABLE>`,
  };
}
