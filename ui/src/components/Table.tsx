import type { ReactNode } from 'react';

export interface Column<T> {
  /** Names the column; every column has one, for screen readers if not for the eye. */
  header: string;
  /** Keeps the header out of sight (a column of buttons) while screen readers still read it. */
  hideHeader?: boolean;
  cell: (row: T) => ReactNode;
}

/**
 * A plain, captioned table that scrolls sideways on a narrow window instead of squashing; the
 * scrolling region takes the keyboard focus, so it scrolls without a mouse too (WCAG 2.1.1).
 */
export function Table<T>({ caption, columns, rows, rowKey, empty }: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string | number;
  empty?: ReactNode;
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
      <table className="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col">
                {column.hideHeader ? <span className="visually-hidden">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.header}>{column.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
