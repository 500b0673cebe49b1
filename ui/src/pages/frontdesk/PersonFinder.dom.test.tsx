/**
 * The front desk's person picker in a simulated DOM over a fake hub: it asks the hub's search once
 * typing settles, keeps the last answer while the next one is on its way, and adds the person it
 * cannot find.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { createApi } from '../../api/api';
import { ApiProvider } from '../../api/context';
import type { ApiRequest } from '../../api/transport';
import { ToastProvider } from '../../components/Toasts';
import type { PersonView } from '../../gen/PersonView';
import { deferred, fakeHub } from '../../test/fakeHub';
import { PersonFinder } from './PersonFinder';

const people: PersonView[] = [
  { id: 1, name: 'Mia Keller', email: 'mia@harbor.example' },
  { id: 2, name: 'Noah Becker', email: 'noah.becker@example.com' },
];

/** A hub whose search matches like the real one (part of a name or e-mail, any case) and records each search. */
function searchingHub() {
  const searches: string[] = [];
  const hub = fakeHub({
    'GET /people': (request: ApiRequest) => {
      const search = String(request.query?.search ?? '').toLowerCase();
      searches.push(search);
      const items = people.filter((p) => `${p.name} ${p.email}`.toLowerCase().includes(search));
      return { items, total: items.length, offset: 0, limit: 8 };
    },
  });
  return { hub, searches };
}

function renderFinder(hub: ReturnType<typeof fakeHub>, onPick = vi.fn()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const user = userEvent.setup();
  render(
    <ApiProvider api={createApi(hub.transport)}>
      <QueryClientProvider client={client}>
        <MemoryRouter>
          <ToastProvider>
            <PersonFinder label="Invitees" picked={[]} onPick={onPick} onRemove={() => undefined} multiple />
          </ToastProvider>
        </MemoryRouter>
      </QueryClientProvider>
    </ApiProvider>,
  );
  return { user, onPick };
}

const matches = () => screen.queryByRole('list', { name: 'Matches for Invitees' });

describe('the person picker', () => {
  it('asks the hub once typing settles, not at every keystroke', async () => {
    const { hub, searches } = searchingHub();
    renderFinder(hub);
    const input = screen.getByLabelText('Invitees');
    // Six keystrokes in one go: no timer can run between them, however busy the machine is.
    for (const text of ['k', 'ke', 'kel', 'kell', 'kelle', 'keller'])
      fireEvent.change(input, { target: { value: text } });
    expect(searches).toEqual([]);
    const list = await screen.findByRole('list', { name: 'Matches for Invitees' });
    expect(
      within(list)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Mia Keller mia@harbor.example']);
    // Nothing was asked for the letters typed before, nor for the empty box.
    expect(searches).toEqual(['keller']);
  });

  it('keeps the last matches on screen while the next search is on its way', async () => {
    const { hub } = searchingHub();
    const { user } = renderFinder(hub);
    const input = screen.getByLabelText('Invitees');
    await user.type(input, 'mia');
    await screen.findByRole('button', { name: /Mia Keller/ });

    const slow = deferred<unknown>();
    let asked = '';
    hub.on('GET /people', (request) => {
      asked = String(request.query?.search);
      return slow.promise;
    });
    await user.type(input, ' k');
    // The hub has the new search and has not answered yet: the last matches stay.
    await waitFor(() => expect(asked).toBe('mia k'));
    expect(screen.getByRole('status').textContent).toBe('Searching…');
    expect(within(matches() as HTMLElement).getByRole('button', { name: /Mia Keller/ })).toBeTruthy();

    slow.resolve({ items: [], total: 0, offset: 0, limit: 8 });
    await screen.findByText('No one matches “mia k”.');
    expect(matches()).toBeNull();
  });

  it('adds the person no one matched, filled with what was typed, and picks them', async () => {
    const { hub } = searchingHub();
    const created: PersonView = { id: 9, name: 'Pia Walk-in', email: 'pia@example.com' };
    hub.on('POST /people', (request) => {
      expect(request.body).toEqual({ name: 'Pia Walk-in', email: 'pia@example.com' });
      return created;
    });
    const { user, onPick } = renderFinder(hub);
    await user.type(screen.getByLabelText('Invitees'), 'Pia Walk-in');
    await user.click(await screen.findByRole('button', { name: 'Add person' }));
    const group = screen.getByRole('group', { name: 'New person for Invitees' });
    expect((within(group).getByLabelText('Name') as HTMLInputElement).value).toBe('Pia Walk-in');
    await user.type(within(group).getByLabelText('E-mail'), 'pia@example.com{Enter}');
    await waitFor(() => expect(onPick).toHaveBeenCalledWith(created));
    expect(screen.queryByRole('group', { name: 'New person for Invitees' })).toBeNull();
  });

  it('checks the new person’s e-mail before asking the hub', async () => {
    const { hub } = searchingHub();
    const { user } = renderFinder(hub);
    await user.type(screen.getByLabelText('Invitees'), 'Pia');
    await user.click(await screen.findByRole('button', { name: 'Add person' }));
    const group = screen.getByRole('group', { name: 'New person for Invitees' });
    await user.type(within(group).getByLabelText('E-mail'), 'pia{Enter}');
    expect(await within(group).findByText('Enter an e-mail address like ana@example.com.')).toBeTruthy();
    expect(hub.seen).not.toContain('POST /people');
  });
});
