/**
 * How connected the UI is, honestly: "live" only while the live events are connected AND the hub
 * answers requests. The monitor wraps any `Transport` (browser or desktop) and combines what the
 * transport reports about its live events with the outcome of every request, and remembers when
 * the hub last answered ("Offline · last confirmed 13:21"). A 401 — on a request or the live
 * events — is `signed_out`: the hub answers, but no longer for this session.
 */
import { ApiError } from './errors';
import type { LiveStatus, Transport } from './transport';

export interface ConnectionState {
  status: LiveStatus;
  /** When the hub last answered (a request, or the live events opening); null before it ever did. */
  confirmedAt: Date | null;
}

export interface ConnectionMonitor {
  current(): ConnectionState;
  /** Calls `listener` after every change; returns the function that stops listening. */
  watch(listener: () => void): () => void;
}

/**
 * `transport` with every request and live status observed, and the monitor of what it saw.
 * `clock` is injected in tests.
 */
export function monitorConnection(
  transport: Transport,
  clock: () => Date = () => new Date(),
): { transport: Transport; connection: ConnectionMonitor; observe: <T>(call: () => Promise<T>) => Promise<T> } {
  let stream: LiveStatus = 'connecting';
  /** False after a request could not reach the hub, until one does again. */
  let reachable = true;
  /** True after the hub refused the session (401), until it accepts a request again. */
  let refused = false;
  let confirmedAt: Date | null = null;
  /**
   * Counts the requests that could not reach the hub. An answer to a request sent before the
   * latest of them says nothing about now: a slow answer landing after the hub went away must not
   * turn "Offline" back into "Live".
   */
  let failures = 0;
  let state: ConnectionState = { status: stream, confirmedAt };
  const listeners = new Set<() => void>();

  const update = () => {
    const status: LiveStatus = !reachable ? 'offline' : refused ? 'signed_out' : stream;
    if (status === state.status && confirmedAt === state.confirmedAt) return;
    state = { status, confirmedAt };
    for (const listener of listeners) listener();
  };
  const hubAnswered = (sessionRefused = false) => {
    reachable = true;
    refused = sessionRefused;
    // The hub answers again: the live events are not back yet, but they are being retried.
    if (stream === 'offline') stream = 'reconnecting';
    confirmedAt = clock();
    update();
  };

  /** Runs one call to the hub (a request, or a transport's own version of an API method) and learns from its outcome. */
  const observe = async <T>(call: () => Promise<T>): Promise<T> => {
    const failuresBefore = failures;
    const answeredSinceLastFailure = () => failuresBefore === failures;
    try {
      const answer = await call();
      if (answeredSinceLastFailure() && !transport.answeredLocally?.(answer)) hubAnswered();
      return answer;
    } catch (error) {
      // Any answer of the hub, even a refusal, proves it can be reached.
      if (error instanceof ApiError && error.isOffline) {
        failures += 1;
        reachable = false;
        update();
      } else if (answeredSinceLastFailure()) {
        hubAnswered(error instanceof ApiError && error.status === 401);
      }
      throw error;
    }
  };

  return {
    observe,
    transport: {
      authenticate: (session) => transport.authenticate(session),
      // Answered by the transport itself (the desktop, from this computer): says nothing of the hub.
      ...(transport.currentAccount && { currentAccount: transport.currentAccount.bind(transport) }),
      ...(transport.answeredLocally && { answeredLocally: transport.answeredLocally.bind(transport) }),
      // A link the browser follows itself: nothing to observe.
      ...(transport.downloadUrl && { downloadUrl: transport.downloadUrl.bind(transport) }),
      request: (request) => observe(() => transport.request<never>(request)),
      subscribe(onEvent, onStatus) {
        return transport.subscribe(onEvent, (status) => {
          stream = status;
          if (status === 'live' || status === 'signed_out') hubAnswered(status === 'signed_out');
          else {
            // The events found the hub gone: offline until the hub answers again, however often
            // they retry ("reconnecting") meanwhile.
            if (status === 'offline') {
              failures += 1;
              reachable = false;
            }
            update();
          }
          onStatus(status);
        });
      },
    },
    connection: {
      current: () => state,
      watch(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
}
