/** "Re-sync now" in a simulated DOM over a fake hub: pending, queued with the time, or why it failed. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../../api/api';
import { ApiProvider } from '../../../api/context';
import { ApiError } from '../../../api/errors';
import { ToastProvider } from '../../../components/Toasts';
import { deferred, fakeHub } from '../../../test/fakeHub';
import { NOW } from '../../../test/fixtures';
import { description } from '../../../test/renderApp';
import { ResyncButton } from './ResyncButton';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

function renderButton(hub: ReturnType<typeof fakeHub>) {
  const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(
    <ApiProvider api={createApi(hub.transport)}>
      <QueryClientProvider client={client}>
        <ToastProvider>
          <ResyncButton personId={4} personName="Mia Keller" locationId={1} zone="Europe/Berlin" />
        </ToastProvider>
      </QueryClientProvider>
    </ApiProvider>,
  );
  return { user: userEvent.setup(), button: screen.getByRole('button', { name: 'Re-sync now' }) };
}

describe('re-sync now', () => {
  it('shows the request under way, then when it was queued in the location’s time', async () => {
    const answer = deferred<unknown>();
    const hub = fakeHub({ 'POST /locations/1/people/4/resync': () => answer.promise });
    const { user, button } = renderButton(hub);
    await user.click(button);
    await waitFor(() => expect(description(button)).toBe('Asking the hub…'));
    expect(button.getAttribute('aria-busy')).toBe('true');

    answer.resolve({ message: 'Re-sync queued.' });
    // NOW is 10:00 UTC, 11:00 in Berlin.
    await waitFor(() =>
      expect(description(button)).toBe('Queued at 11:00; this page updates as soon as Kisi is in step.'),
    );
  });

  it('says why the hub refused, beside the button', async () => {
    const hub = fakeHub({
      'POST /locations/1/people/4/resync': () => {
        throw new ApiError(403, 'forbidden', 'Only staff may re-sync a person.');
      },
    });
    const { user, button } = renderButton(hub);
    await user.click(button);
    await waitFor(() => expect(description(button)).toBe('Re-sync failed: Only staff may re-sync a person.'));
  });
});
