/**
 * The whole app, as main.tsx mounts it, at `path` over a transport (a `fakeHub()`, or the real
 * fetch transport over a fake `fetch`): real components, no network.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { createApi } from '../api/api';
import { ApiProvider } from '../api/context';
import { App } from '../app/App';
import { ToastProvider } from '../components/Toasts';
import type { Transport } from '../api/transport';

export function renderApp(hub: { transport: Transport }, path: string) {
  // Refusals and unreachable hubs show at once; a test never waits for retries.
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const api = createApi(hub.transport);
  const user = userEvent.setup();
  const view = render(
    <ApiProvider api={api}>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[path]}>
          <ToastProvider>
            <App />
          </ToastProvider>
        </MemoryRouter>
      </QueryClientProvider>
    </ApiProvider>,
  );
  return { ...view, user, client };
}

/** The text of the elements an element's `aria-describedby` names: what a screen reader adds. */
export function description(element: HTMLElement): string {
  const ids = element.getAttribute('aria-describedby')?.split(/\s+/).filter(Boolean) ?? [];
  return ids
    .map((id) => element.ownerDocument.getElementById(id)?.textContent ?? '')
    .join(' ')
    .trim();
}
