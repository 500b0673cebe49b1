/**
 * Occupancy on Who's in (issue 15): how full the location was over the chosen days (the four
 * weeks ending today by default, at most 92), by hour — on one day, or on an average day of the
 * range — or by day, each day's peak and visitors. Hours on the location's clock. Live: door
 * events refresh it.
 */
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId, useState } from 'react';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { OCCUPANCY_MAX_DAYS } from '../../../api/families/reports';
import { queryKeys } from '../../../api/queries';
import { Card } from '../../../components/Card';
import { lastDays } from '../../../components/dateRange';
import { DateRangeFields, useDateRange } from '../../../components/DateRangeFields';
import { SelectField } from '../../../components/Field';
import { Notice } from '../../../components/Notice';
import { Loading } from '../../../components/Progress';
import type { LocationView } from '../../../gen/LocationView';
import type { OccupancyView } from '../../../gen/OccupancyView';
import { useNow } from '../../../hooks/useNow';
import { formatLocalDate as localDate } from '../../../time/format';
import { zoneName } from '../../../time/locationZone';
import { toDateInput } from '../../../time/zoned';
import { averageDay, busiestDay, busiestHour, byDay, hoursOfDay } from './occupancy';

// The chart library is most of a chart's weight: fetched when a chart is first shown, so the
// pages without one (the Access page on a phone first of all) load as fast as before.
const OccupancyChart = lazy(() => import('./OccupancyChart').then((module) => ({ default: module.OccupancyChart })));

/** The hub's default: four weeks ending today. */
const DAYS = 28;
/** The hour chart's choice of the average day rather than one date. */
const AVERAGE = 'average';

type View = 'hours' | 'days';

const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;

export function Occupancy({ location }: { location: LocationView }) {
  const api = useApi();
  const now = useNow();
  const id = useId();
  const { draft, setDraft, range, problem } = useDateRange(
    lastDays(toDateInput(now, location.time_zone), DAYS),
    OCCUPANCY_MAX_DAYS,
  );
  const [view, setView] = useState<View>('hours');
  const [day, setDay] = useState(AVERAGE);
  const occupancy = useQuery({
    queryKey: queryKeys.occupancy(location.id, range),
    queryFn: () => api.occupancy.of(location.id, range),
    placeholderData: (previous) => previous,
  });
  return (
    <Card title="Occupancy" labelId="occupancy">
      <div className="stack">
        <div className="form-row">
          <DateRangeFields
            legend="Days charted"
            value={draft}
            onChange={setDraft}
            problem={problem}
            maxDays={OCCUPANCY_MAX_DAYS}
          />
          <fieldset className="field choice-field">
            <legend>Show</legend>
            {(
              [
                ['hours', 'By hour'],
                ['days', 'By day: peak and visitors'],
              ] as const
            ).map(([value, words]) => (
              <div key={value} className="check">
                <input
                  type="radio"
                  id={`${id}-${value}`}
                  name={`${id}-view`}
                  checked={view === value}
                  onChange={() => setView(value)}
                />
                <label htmlFor={`${id}-${value}`}>{words}</label>
              </div>
            ))}
          </fieldset>
          {view === 'hours' && occupancy.data && (
            <SelectField
              label="Hours of"
              value={occupancy.data.days.some((d) => d.date === day) ? day : AVERAGE}
              onChange={(e) => setDay(e.target.value)}
              options={[
                { value: AVERAGE, label: 'An average day of these' },
                ...[...occupancy.data.days].reverse().map((d) => ({ value: d.date, label: localDate(d.date, now) })),
              ]}
            />
          )}
        </div>
        {occupancy.isPending && <Loading what="the occupancy" />}
        {occupancy.error && <Notice tone="danger">{describeError(occupancy.error)}</Notice>}
        {occupancy.data && (
          <Suspense fallback={<Loading what="the chart" />}>
            {view === 'hours' ? (
              <HoursChart occupancy={occupancy.data} day={day} now={now} />
            ) : (
              <DaysChart occupancy={occupancy.data} now={now} />
            )}
          </Suspense>
        )}
      </div>
    </Card>
  );
}

function HoursChart({ occupancy, day, now }: { occupancy: OccupancyView; day: string; now: Date }) {
  const zone = occupancy.time_zone;
  const one = occupancy.days.find((d) => d.date === day);
  const bars = one ? hoursOfDay(one, zone) : averageDay(occupancy.days, zone);
  const busiest = busiestHour(bars);
  const span = `${localDate(occupancy.from, now)} – ${localDate(occupancy.to, now)}`;
  const title = one
    ? `People in by hour on ${localDate(one.date, now)} (${zoneName(zone)})`
    : `People in by hour, an average day of ${span} (${zoneName(zone)})`;
  const description = !busiest
    ? 'Nobody was in.'
    : one
      ? `Busiest at ${busiest.hour}, with ${people(busiest.people)} in. ${people(one.visitors)} came that day.`
      : `Busiest at ${busiest.hour}, with ${busiest.people} people in on average.`;
  return (
    <OccupancyChart
      title={title}
      description={description}
      labelHeader="Hour"
      rows={bars.map((bar) => ({ label: bar.hour, people: bar.people }))}
      series={[{ key: 'people', name: one ? 'People in' : 'People in on average', colour: 'var(--accent)' }]}
    />
  );
}

function DaysChart({ occupancy, now }: { occupancy: OccupancyView; now: Date }) {
  const bars = byDay(occupancy.days);
  const mostVisitors = busiestDay(bars, 'visitors');
  const highestPeak = busiestDay(bars, 'peak');
  const span = `${localDate(occupancy.from, now)} – ${localDate(occupancy.to, now)}`;
  const description =
    mostVisitors && highestPeak
      ? `Most visitors: ${mostVisitors.visitors} on ${localDate(mostVisitors.date, now)}. ` +
        `Most in at once: ${highestPeak.peak} on ${localDate(highestPeak.date, now)}.`
      : 'Nobody came.';
  return (
    <OccupancyChart
      title={`Peak and visitors by day, ${span}`}
      description={description}
      labelHeader="Day"
      rows={bars.map((bar) => ({ label: localDate(bar.date, now), peak: bar.peak, visitors: bar.visitors }))}
      series={[
        { key: 'peak', name: 'Most in at once', colour: 'var(--accent)' },
        { key: 'visitors', name: 'Visitors', colour: 'var(--success)' },
      ]}
    />
  );
}
