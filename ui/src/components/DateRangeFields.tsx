/**
 * A first and a last day picked in the browser's calendar, with the longest range allowed said
 * in words beside them, and what is wrong with the range said at once. `useDateRange` keeps the
 * last range that could be asked for, so what is shown stays while a date is being changed.
 */
import { useId, useState, type ReactNode } from 'react';
import { rangeProblem, type DateRange } from './dateRange';

export function useDateRange(initial: DateRange, maxDays?: number) {
  const [draft, setDraft] = useState(initial);
  const [range, setRange] = useState(initial);
  const problem = rangeProblem(draft, maxDays);
  if (!problem && (draft.from !== range.from || draft.to !== range.to)) setRange(draft);
  return { draft, setDraft, range, problem };
}

export function DateRangeFields({
  legend,
  value,
  onChange,
  problem,
  maxDays,
  hint,
}: {
  legend: string;
  value: DateRange;
  onChange: (range: DateRange) => void;
  problem?: string | undefined;
  /** Said in words beside the dates. */
  maxDays?: number;
  hint?: ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const problemId = problem ? `${id}-problem` : undefined;
  const describedBy = [hintId, problemId].filter(Boolean).join(' ');
  return (
    <fieldset className="field date-range-field">
      <legend>{legend}</legend>
      <span className="date-range-inputs">
        <label>
          <span>From</span>
          <input
            type="date"
            value={value.from}
            aria-describedby={describedBy}
            aria-invalid={Boolean(problem)}
            onChange={(e) => onChange({ ...value, from: e.target.value })}
          />
        </label>
        <label>
          <span>To</span>
          <input
            type="date"
            value={value.to}
            aria-describedby={describedBy}
            aria-invalid={Boolean(problem)}
            onChange={(e) => onChange({ ...value, to: e.target.value })}
          />
        </label>
      </span>
      <span className="hint" id={hintId}>
        Both days included{maxDays === undefined ? '' : `, at most ${maxDays} days`}.{hint ? <> {hint}</> : null}
      </span>
      {problem && (
        <span className="problem" id={problemId} role="alert">
          {problem}
        </span>
      )}
    </fieldset>
  );
}
