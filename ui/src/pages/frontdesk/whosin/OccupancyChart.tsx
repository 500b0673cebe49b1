/**
 * A bar chart of the occupancy (recharts, SVG) in the app's colours, so it reads in the light
 * and the dark theme, with a title and a description, reachable by keyboard (recharts'
 * accessibility layer: Tab to the chart, the arrow keys move from bar to bar and its tooltip says
 * the numbers), and the same numbers as a table with "Show as table" (a screen reader's way to
 * read them all; a hidden table would put an invisible stop in the keyboard's way).
 */
import { useId, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { Button } from '../../../components/Button';
import { Table } from '../../../components/Table';

/** One bar of each series: its name on the axis and in the table ("09:00", "Tue 24 Nov") and its numbers. */
export type ChartRow = { label: string } & Record<string, number | string>;

export interface Series {
  /** The row's field the series reads. */
  key: string;
  /** The series in words: "People in", "Visitors". */
  name: string;
  /** A colour of the theme (tokens.css), so the bars follow light and dark. */
  colour: string;
}

/** The axis and grid in the theme's colours. */
const AXIS = { stroke: 'var(--border)', tick: { fill: 'var(--text-muted)', fontSize: 12 } };

export function OccupancyChart({
  title,
  description,
  rows,
  labelHeader,
  series,
}: {
  title: string;
  /** What the chart shows, in a sentence: the busiest hour or day. */
  description: string;
  rows: ChartRow[];
  /** The table's header for the rows' names: "Hour", "Day". */
  labelHeader: string;
  series: Series[];
}) {
  const id = useId();
  const [asTable, setAsTable] = useState(false);
  // An hour's name repeats on the day the clocks go back: rows are told apart by their place.
  const data = rows.map((row, place) => ({ ...row, place }));
  return (
    <figure className="occupancy-figure stack" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
      <figcaption>
        <strong id={`${id}-title`}>{title}</strong>
        <p id={`${id}-desc`} className="muted">
          {description}
        </p>
      </figcaption>
      <div className="occupancy-chart">
        <BarChart
          responsive
          style={{ width: '100%', height: '100%' }}
          data={data}
          title={title}
          desc={description}
          accessibilityLayer
          margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
        >
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" {...AXIS} />
          <YAxis allowDecimals={false} width={36} {...AXIS} />
          <Tooltip
            cursor={{ fill: 'var(--accent-soft)' }}
            contentStyle={{ background: 'var(--surface-raised)', borderColor: 'var(--border)', color: 'var(--text)' }}
            labelStyle={{ color: 'var(--text)' }}
          />
          {series.length > 1 && <Legend />}
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.colour} isAnimationActive={false} />
          ))}
        </BarChart>
      </div>
      <div className="row">
        <Button
          size="small"
          aria-expanded={asTable}
          aria-controls={`${id}-table`}
          onClick={() => setAsTable((shown) => !shown)}
        >
          {asTable ? 'Hide the table' : 'Show as table'}
        </Button>
      </div>
      <div id={`${id}-table`} hidden={!asTable}>
        {asTable && (
          <Table<ChartRow & { place: number }>
            caption={title}
            rows={data}
            rowKey={(row) => row.place}
            columns={[
              { header: labelHeader, cell: (row) => row.label },
              ...series.map((s) => ({ header: s.name, cell: (row: ChartRow) => String(row[s.key] ?? '') })),
            ]}
          />
        )}
      </div>
    </figure>
  );
}
