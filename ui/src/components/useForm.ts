/**
 * Form state that validates as you type and shows the hub's field errors next to the field.
 *
 * A field's own check shows once the field has been touched; a problem the hub named for a field
 * (`validation_failed` with `fields`) shows until that field is edited again.
 */
import { useCallback, useState } from 'react';
import { ApiError } from '../api/errors';

export type Validator<V> = (values: V) => Partial<Record<keyof V & string, string>>;

export interface Form<V> {
  values: V;
  set: <K extends keyof V>(key: K, value: V[K]) => void;
  /** The problem to show next to `key`, if any. */
  problem: (key: keyof V & string) => string | undefined;
  /** True when the form's own checks pass. */
  valid: boolean;
  /** Marks every field touched (on submit) and says whether the form may be sent. */
  touchAll: () => boolean;
  /** Records the hub's field problems; returns the message for problems not tied to a field. */
  takeServerError: (error: unknown) => string | undefined;
  reset: (values?: V) => void;
}

export function useForm<V extends object>(initial: V, validate: Validator<V> = () => ({})): Form<V> {
  const [values, setValues] = useState(initial);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [server, setServer] = useState<Record<string, string>>({});
  const problems = validate(values);

  const set = useCallback(<K extends keyof V>(key: K, value: V[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setTouched((t) => new Set(t).add(String(key)));
    setServer((s) => Object.fromEntries(Object.entries(s).filter(([field]) => field !== key)));
  }, []);

  return {
    values,
    set,
    problem: (key) => server[key] ?? (touched.has(key) ? problems[key] : undefined),
    valid: Object.values(problems).every((p) => !p),
    touchAll: () => {
      setTouched(new Set(Object.keys(values)));
      return Object.values(problems).every((p) => !p);
    },
    takeServerError: (error) => {
      if (error instanceof ApiError && error.fields.length > 0) {
        const byField: Record<string, string> = {};
        const unknown: string[] = [];
        for (const { field, problem } of error.fields) {
          if (field in values) byField[field] = problem;
          else unknown.push(`${field}: ${problem}`);
        }
        setServer(byField);
        return unknown.length > 0 ? unknown.join('; ') : undefined;
      }
      return error instanceof Error ? error.message : String(error);
    },
    reset: (next) => {
      setValues(next ?? initial);
      setTouched(new Set());
      setServer({});
    },
  };
}
