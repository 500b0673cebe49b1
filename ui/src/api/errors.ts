/**
 * The one error type the UI sees from the hub, whatever the transport: the hub's
 * `{"error":{"code","message","fields"}}` body, or a transport failure in the same shape.
 */
import type { FieldProblem } from '../gen/FieldProblem';

/** Codes the hub answers with, plus `offline` when it cannot be reached at all. */
export type ErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'validation_failed'
  | 'too_large'
  | 'throttled'
  | 'kisi_failed'
  | 'csrf_failed'
  | 'internal'
  | 'offline'
  | (string & {});

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly fields: FieldProblem[];

  constructor(status: number, code: ErrorCode, message: string, fields: FieldProblem[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }

  /** The hub's problem with one input field, to show next to it. */
  fieldProblem(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.problem;
  }

  /** True when the hub could not be reached (network down, hub stopped). */
  get isOffline(): boolean {
    return this.code === 'offline';
  }
}

/** Builds the error for a non-2xx answer, reading the hub's error body when there is one. */
export function errorFromBody(status: number, body: unknown): ApiError {
  const detail = (body as { error?: { code?: unknown; message?: unknown; fields?: unknown } })?.error;
  if (detail && typeof detail.code === 'string' && typeof detail.message === 'string') {
    const fields = Array.isArray(detail.fields) ? (detail.fields as FieldProblem[]) : [];
    return new ApiError(status, detail.code, detail.message, fields);
  }
  return new ApiError(status, 'internal', `The hub answered ${status} without an explanation.`);
}

export const offlineError = (cause: unknown) =>
  new ApiError(
    0,
    'offline',
    `Doorlink's hub cannot be reached (${cause instanceof Error ? cause.message : String(cause)}). Check the connection and try again.`,
  );

/** Plain words for any error caught in a component. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
