/**
 * A person's attendance (issue 15): each day of the last 30 they came to the selected location,
 * newest first: when they first came in, when they were last seen (in the location's zone), the
 * doors they opened and the attempts Kisi refused.
 */
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { queryKeys } from '../../../api/queries';
import { useCurrentLocation } from '../../../app/location';
import { Notice } from '../../../components/Notice';
import { Loading } from '../../../components/Progress';
import { Table } from '../../../components/Table';
import type { AttendanceDayView } from '../../../gen/AttendanceDayView';
import type { AttendanceQuery } from '../../../gen/AttendanceQuery';
import type { PersonView } from '../../../gen/PersonView';
import { useNow } from '../../../hooks/useNow';
import { formatDate, formatTime } from '../../../time/format';
import { zoneName } from '../../../time/locationZone';
import { toDateInput } from '../../../time/zoned';
import { addDays } from '../today/TodayPage';

/** The days shown: today and the 29 before it. */
const DAYS = 30;

export function PersonAttendance({ person }: { person: PersonView }) {
  const api = useApi();
  const { location } = useCurrentLocation();
  const now = useNow();
  const zone = location?.time_zone ?? 'UTC';
  const today = toDateInput(now, zone);
  const query: AttendanceQuery = { location_id: location?.id ?? 0, from: addDays(today, 1 - DAYS), to: today };
  const attendance = useQuery({
    queryKey: queryKeys.attendance(person.id, query),
    queryFn: () => api.attendance.of(person.id, query),
    enabled: location !== undefined,
  });
  if (!location) return <Notice tone="info">Create a location first.</Notice>;
  if (attendance.isPending) return <Loading what="attendance" />;
  if (attendance.error) return <Notice tone="danger">{describeError(attendance.error)}</Notice>;
  return (
    <Table<AttendanceDayView>
      caption={`Days at ${location.name} in the last ${DAYS} days, newest first (${zoneName(zone)})`}
      rows={attendance.data.days}
      rowKey={(d) => d.date}
      empty={`${person.name} opened no door at ${location.name} in the last ${DAYS} days.`}
      columns={[
        // A local date: read at noon UTC so no zone moves it to another day.
        { header: 'Date', cell: (d) => formatDate(`${d.date}T12:00:00Z`, 'UTC', now) },
        { header: 'First in', cell: (d) => formatTime(d.first_in, zone) },
        { header: 'Last seen', cell: (d) => formatTime(d.last_seen, zone) },
        { header: 'Doors opened', cell: (d) => d.unlocks },
        { header: 'Refused', cell: (d) => d.refusals },
      ]}
    />
  );
}
