/**
 * CSV downloads over a range of days: plain links the browser follows (the hub answers each as
 * an attachment), each carrying the range picked beside them. While the range cannot be asked
 * for, the links are shown without an address and the range says why.
 */
import { lastDays, type DateRange } from './dateRange';
import { DateRangeFields, useDateRange } from './DateRangeFields';

export interface Download {
  /** What the file holds, e.g. "Attendance (CSV)". */
  label: string;
  /** The link for a range; null where no link can reach the hub. */
  href: (range: DateRange) => string | null;
}

export function CsvDownloads({
  legend,
  today,
  days,
  maxDays,
  downloads,
}: {
  legend: string;
  /** The location's today ("YYYY-MM-DD"): the range ends with it at first. */
  today: string;
  /** How many days the range covers at first. */
  days: number;
  maxDays: number;
  downloads: Download[];
}) {
  const { draft, setDraft, problem } = useDateRange(lastDays(today, days), maxDays);
  return (
    <div className="stack">
      <div className="form-row">
        <DateRangeFields legend={legend} value={draft} onChange={setDraft} problem={problem} maxDays={maxDays} />
      </div>
      <div className="export-links">
        {downloads.map(({ label, href }) => {
          const link = problem ? null : href(draft);
          return link ? (
            <a key={label} className="button" data-variant="secondary" href={link} download>
              {label}
            </a>
          ) : (
            <a key={label} className="button" data-variant="secondary" aria-disabled="true" role="link">
              {label}
            </a>
          );
        })}
      </div>
    </div>
  );
}

/** In the desktop app, instead of the downloads: where they are. */
export function DownloadInBrowser() {
  return (
    <p className="muted">
      CSV files download in a web browser: open Doorlink at your hub’s address there to download them.
    </p>
  );
}
