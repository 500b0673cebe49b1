import type { ReactNode } from 'react';

export interface Column<T> {
  /** Names the column; every column has one, for screen readers if not for the eye. */
  header: string;
  /** Keeps the header out of sight (a column of buttons) while screen readers still read it. */
  hideHeader?: boolean;
  cell: (row: T) => ReactNode;
}

/**
 * A plain, captioned table. On a narrow window (a phone at the front desk) each row becomes a
 * card of "header: value" lines (components.css) instead of squashing words or cutting off
 * buttons; the roles are spelled out because a table laid out as blocks loses them in some
 * browsers. Wider than the window anyway, the region scrolls and takes the keyboard focus, so it
 * scrolls without a mouse too (WCAG 2.1.1).
 */
export function Table<T>({
  caption,
  columns,
  rows,
  rowKey,
  empty,
  attention,
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string | number;
  empty?: ReactNode;
  /** Marks the rows someone must act on (`data-attention`): the stylesheet makes them stand out. */
  attention?: (row: T) => boolean;
}) {
  if (rows.length === 0 && empty) {
    return (
      <p className="muted">
        <strong>{caption}:</strong> {empty}
      </p>
    );
  }
  return (
    // A region keyboard users can focus and scroll, when the table is wider than the window.
    <div className="table-wrap" role="group" aria-label={caption} tabIndex={0}>
      <table className="table" role="table">
        <caption>{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((column) => (
              <th key={column.header} scope="col" role="columnheader">
                {column.hideHeader ? <span className="visually-hidden">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map((row) => (
            <tr key={rowKey(row)} role="row" data-attention={attention?.(row) || undefined}>
              {columns.map((column) => (
                <td key={column.header} role="cell" data-label={column.hideHeader ? undefined : column.header}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
