/**
 * The CSV exports of Who's in (issue 15): the location's attendance and everyone's ledger over
 * the chosen days (at most 366). Plain downloads in a browser; the desktop app has no link to its
 * hub that carries the session, so it says where to download them instead.
 */
import { useApi } from '../../../api/context';
import { EXPORT_DEFAULT_DAYS, EXPORT_MAX_DAYS } from '../../../api/families/reports';
import { Card } from '../../../components/Card';
import { CsvDownloads, DownloadInBrowser } from '../../../components/CsvDownloads';
import type { LocationView } from '../../../gen/LocationView';
import { useNow } from '../../../hooks/useNow';
import { toDateInput } from '../../../time/zoned';

export function Exports({ location }: { location: LocationView }) {
  const api = useApi();
  const now = useNow();
  return (
    <Card title="Download as CSV" labelId="exports">
      {api.exports.available ? (
        <CsvDownloads
          legend="Days to download"
          today={toDateInput(now, location.time_zone)}
          days={EXPORT_DEFAULT_DAYS}
          maxDays={EXPORT_MAX_DAYS}
          downloads={[
            { label: 'Attendance (CSV)', href: (range) => api.exports.attendance(location.id, range) },
            { label: 'Everyone’s ledger (CSV)', href: (range) => api.exports.ledger(location.id, range) },
          ]}
        />
      ) : (
        <DownloadInBrowser />
      )}
    </Card>
  );
}
