/**
 * Labelled form fields that show a problem next to themselves: the form's own check as you type,
 * or the hub's field error after a submit. Screen readers hear the hint and the problem too.
 */
import {
  useId,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

interface FieldFrameProps {
  label: string;
  hint?: ReactNode;
  problem?: string | undefined;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

function FieldFrame({ label, hint, problem, children }: FieldFrameProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const problemId = problem ? `${id}-problem` : undefined;
  const describedBy = [hintId, problemId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, describedBy, invalid: Boolean(problem) })}
      {hint && (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      )}
      {problem && (
        <span className="problem" id={problemId} role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}

type Common = { label: string; hint?: ReactNode; problem?: string | undefined };

export function TextField({ label, hint, problem, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldFrame label={label} hint={hint} problem={problem}>
      {({ id, describedBy, invalid }) => (
        <input id={id} aria-describedby={describedBy} aria-invalid={invalid} {...input} />
      )}
    </FieldFrame>
  );
}

/**
 * "14:30" from what a person types for a time: "14:30", "9:05", "0905", "14.30", "14h30". The
 * app speaks one 24-hour format, so the time is typed the same way (a browser's own time field
 * would say "02:30 PM" next to "14:30–16:30" in an en-US browser). Undefined when it is not a time.
 */
export function parseTypedTime(text: string): string | undefined {
  const match = /^\s*(\d{1,2})\s*[:.h]?\s*(\d{2})\s*$/.exec(text);
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23 || minute > 59) return undefined;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** "YYYY-MM-DDTHH:MM" from a date and a typed time, as a datetime-local field gives it; "" when both are empty. */
export function joinDateTime(date: string, time: string): string {
  if (!date && !time.trim()) return '';
  return `${date}T${parseTypedTime(time) ?? time.trim()}`;
}

/**
 * A moment: the browser's calendar for the date, a 24-hour time typed beside it (see
 * `parseTypedTime`). `value` and `onChange` speak "YYYY-MM-DDTHH:MM" like a datetime-local field,
 * so the forms that parse it stay as they are; a time that is not one is said here, at once.
 */
export function DateTimeField({
  label,
  hint,
  problem,
  value,
  onChange,
}: Common & {
  value: string;
  onChange: (value: string) => void;
}) {
  const id = useId();
  const [date, timeOfValue] = value.includes('T')
    ? [value.slice(0, 10), value.slice(11, 16)]
    : [value.slice(0, 10), ''];
  const [time, setTime] = useState(timeOfValue);
  // A value set from outside (a prefilled slot, a reset form) replaces what was typed.
  const [seen, setSeen] = useState(timeOfValue);
  if (seen !== timeOfValue) {
    setSeen(timeOfValue);
    if (parseTypedTime(time) !== timeOfValue && time.trim() !== timeOfValue) setTime(timeOfValue);
  }
  const timeProblem =
    time.trim() && !parseTypedTime(time) ? 'Type the time as HH:MM, 24-hour (e.g. 14:30).' : undefined;
  const shown = timeProblem ?? problem;
  const hintId = hint ? `${id}-hint` : undefined;
  const problemId = shown ? `${id}-problem` : undefined;
  const describedBy = [hintId, problemId].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className="field date-time-field">
      <legend>{label}</legend>
      <span className="date-time-inputs">
        <input
          type="date"
          aria-label="Date"
          aria-describedby={describedBy}
          aria-invalid={Boolean(problem) && !timeProblem}
          value={date}
          onChange={(e) => onChange(joinDateTime(e.target.value, time))}
        />
        <input
          type="text"
          inputMode="numeric"
          aria-label="Time"
          placeholder="HH:MM"
          maxLength={5}
          size={5}
          autoComplete="off"
          aria-describedby={describedBy}
          aria-invalid={Boolean(shown)}
          value={time}
          onChange={(e) => {
            setTime(e.target.value);
            onChange(joinDateTime(date, e.target.value));
          }}
          onBlur={() => {
            const tidy = parseTypedTime(time);
            if (tidy) setTime(tidy);
          }}
        />
      </span>
      {hint && (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      )}
      {shown && (
        <span className="problem" id={problemId} role="alert">
          {shown}
        </span>
      )}
    </fieldset>
  );
}

export function TextAreaField({
  label,
  hint,
  problem,
  ...input
}: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldFrame label={label} hint={hint} problem={problem}>
      {({ id, describedBy, invalid }) => (
        <textarea id={id} aria-describedby={describedBy} aria-invalid={invalid} {...input} />
      )}
    </FieldFrame>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField({
  label,
  hint,
  problem,
  options,
  ...select
}: Common & { options: Option[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldFrame label={label} hint={hint} problem={problem}>
      {({ id, describedBy, invalid }) => (
        <select id={id} aria-describedby={describedBy} aria-invalid={invalid} {...select}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

export function CheckboxField({ label, ...input }: { label: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="check">
      <input id={id} type="checkbox" {...input} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
