/** Progress of long work (a full sync, a bulk import); indeterminate while the total is unknown. */
export function Progress({ label, done, total }: { label: string; done?: number; total?: number }) {
  const known = total !== undefined && total > 0 && done !== undefined;
  return (
    <div className="field">
      <span>
        {label}
        {known && ` — ${done} of ${total}`}
      </span>
      <progress aria-label={label} max={known ? total : undefined} value={known ? done : undefined} />
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}
