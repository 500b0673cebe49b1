/**
 * Today (issue 17, point 8): the page staff land on. For the selected location and in its zone
 * (never the browser's): every booking of the day on a timeline, or the week; expected visitors and
 * day passes; who has door access now, who is on hold and what Kisi keeps refusing. A free hour on
 * the timeline opens the booking form for that resource and hour; the new booking shows at once.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { useResources } from '../../../api/hooks';
import { queryKeys } from '../../../api/queries';
import { useCurrentLocation } from '../../../app/location';
import { Button } from '../../../components/Button';
import { Card, PageHeader } from '../../../components/Card';
import { Dialog } from '../../../components/Dialog';
import { TextField } from '../../../components/Field';
import { Notice } from '../../../components/Notice';
import { Loading } from '../../../components/Progress';
import { Table } from '../../../components/Table';
import type { DeskDayPass } from '../../../gen/DeskDayPass';
import type { DeskHour } from '../../../gen/DeskHour';
import type { DeskResource } from '../../../gen/DeskResource';
import type { DeskVisit } from '../../../gen/DeskVisit';
import { useNow } from '../../../hooks/useNow';
import { formatDate, formatTime } from '../../../time/format';
import { zoneName } from '../../../time/locationZone';
import { toDateInput, toDateTimeInput } from '../../../time/zoned';
import { BookingForm } from '../BookingForm';
import { DayTimeline } from './DayTimeline';
import { AccessNow, NeedsAttention, OnHold } from './DeskNowCards';
import { WeekGrid } from './WeekGrid';

const HOUR = 3_600_000;

/** "YYYY-MM-DD" `days` calendar days after `date` (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

interface Slot {
  resource: DeskResource;
  hour: DeskHour;
}

export function TodayPage() {
  const api = useApi();
  const { location } = useCurrentLocation();
  const now = useNow();
  const zone = location?.time_zone ?? 'UTC';
  const today = toDateInput(now, zone);
  const [chosen, setChosen] = useState<string>();
  const [view, setView] = useState<'day' | 'week'>('day');
  const [slot, setSlot] = useState<Slot>();
  const date = chosen ?? today;
  const days = view === 'day' ? 1 : 7;
  const desk = useQuery({
    queryKey: queryKeys.deskDay(location?.id ?? 0, date, days),
    queryFn: () => api.desk.day(location?.id ?? 0, date, days),
    enabled: location !== undefined,
  });
  // Read ahead for the booking form a free hour opens, so it shows the resource picked at once.
  useResources(location?.id);

  if (!location) return <Notice tone="info">Create a location first (Admin).</Notice>;
  const data = desk.data;
  const first = data?.days[0];
  const step = (by: number) => setChosen(addDays(date, by));

  return (
    <>
      <PageHeader
        title="Today"
        subtitle={`${location.name} · ${date === today ? 'today, ' : ''}${formatDate(`${date}T12:00:00Z`, 'UTC', now)} · times in ${zoneName(zone)} (${zone})`}
        actions={
          <>
            <Button onClick={() => step(-days)}>{view === 'day' ? 'Previous day' : 'Previous week'}</Button>
            <Button onClick={() => setChosen(undefined)} disabled={date === today}>
              Today
            </Button>
            <Button onClick={() => step(days)}>{view === 'day' ? 'Next day' : 'Next week'}</Button>
          </>
        }
      />
      <div className="stack">
        <div className="row today-controls">
          <TextField
            label="Date"
            type="date"
            value={date}
            onChange={(e) => e.target.value && setChosen(e.target.value)}
          />
          <div role="group" aria-label="Show" className="row">
            <Button
              aria-pressed={view === 'day'}
              variant={view === 'day' ? 'primary' : 'secondary'}
              onClick={() => setView('day')}
            >
              Day
            </Button>
            <Button
              aria-pressed={view === 'week'}
              variant={view === 'week' ? 'primary' : 'secondary'}
              onClick={() => setView('week')}
            >
              Week
            </Button>
          </div>
        </div>
        {desk.isPending && <Loading what="the day" />}
        {desk.error && <Notice tone="danger">{describeError(desk.error)}</Notice>}
        {data && <NeedsAttention now={data.now} zone={zone} />}
        {data && first && view === 'day' && (
          <Card title={`Bookings on ${formatDate(first.starts_at, zone, now)}`} labelId="desk-bookings">
            {data.resources.length === 0 ? (
              <p className="muted">This location has no resources to book yet (Admin › Door access).</p>
            ) : (
              <DayTimeline
                day={first}
                resources={data.resources}
                zone={zone}
                onPickSlot={(resource, hour) => setSlot({ resource, hour })}
              />
            )}
          </Card>
        )}
        {data && view === 'week' && (
          <Card title="The week" labelId="desk-week">
            <WeekGrid days={data.days} resources={data.resources} zone={zone} />
            <div className="row" role="group" aria-label="Open a day of the week">
              {data.days.map((d) => (
                <Button
                  key={d.date}
                  size="small"
                  onClick={() => {
                    setChosen(d.date);
                    setView('day');
                  }}
                >
                  {formatDate(d.starts_at, zone, now)}
                </Button>
              ))}
            </div>
          </Card>
        )}
        {data && first && view === 'day' && (
          <div className="grid-2">
            <Card title={`Expected visitors: ${first.visits.length}`} labelId="desk-visitors">
              <Table<DeskVisit>
                caption="Visitors expected this day"
                rows={first.visits}
                rowKey={(v) => v.id}
                empty="nobody is expected."
                columns={[
                  {
                    header: 'Expected',
                    cell: (v) => `${formatTime(v.expected_arrival, zone)}–${formatTime(v.expected_departure, zone)}`,
                  },
                  { header: 'Visitor', cell: (v) => v.visitor.name },
                  { header: 'Policy', cell: (v) => v.policy },
                ]}
              />
            </Card>
            <Card title={`Day passes: ${first.day_passes.length}`} labelId="desk-day-passes">
              <Table<DeskDayPass>
                caption="Day passes for this day"
                rows={first.day_passes}
                rowKey={(d) => d.id}
                empty="none sold."
                columns={[
                  { header: 'Person', cell: (d) => d.person.name },
                  { header: 'Pass', cell: (d) => d.product },
                ]}
              />
            </Card>
          </div>
        )}
        {data && (
          <div className="grid-2">
            <AccessNow now={data.now} />
            <OnHold now={data.now} zone={zone} />
          </div>
        )}
      </div>
      <Dialog
        open={slot !== undefined}
        title={slot ? `Book ${slot.resource.name}` : 'New booking'}
        onClose={() => setSlot(undefined)}
      >
        {slot && (
          <BookingForm
            key={`${slot.resource.id}-${slot.hour.at}`}
            location={location}
            resourceId={slot.resource.id}
            defaultStart={toDateTimeInput(new Date(slot.hour.at), zone)}
            defaultEnd={toDateTimeInput(new Date(new Date(slot.hour.at).getTime() + HOUR), zone)}
            onDone={() => setSlot(undefined)}
          />
        )}
        <Button onClick={() => setSlot(undefined)}>Cancel</Button>
      </Dialog>
    </>
  );
}
