/**
 * The occupancy chart on Who's in over a fake hub (issue 15), the browser in New York and the
 * space in Berlin: the four weeks ending today asked as Berlin dates; an average day by hour, one
 * day's hours, each day's peak and visitors; each a titled, described chart reachable by keyboard
 * with the same numbers as a table; the 92-day limit said in words; live door events refresh it.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiRequest } from '../../../api/transport';
import type { AccountView } from '../../../gen/AccountView';
import type { OccupancyView } from '../../../gen/OccupancyView';
import { fakeHub } from '../../../test/fakeHub';
import { NOW, signedInAs } from '../../../test/fixtures';
import { description, renderApp } from '../../../test/renderApp';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const staff: AccountView = { id: 2, email: 'desk@harbor.example', role: 'staff', person_id: null };

const hours = (busy: Record<number, number>) => Array.from({ length: 24 }, (_, i) => busy[i] ?? 0);

function occupancy(from: string, to: string): OccupancyView {
  return {
    location_id: 1,
    time_zone: 'Europe/Berlin',
    from,
    to,
    days: [
      { date: '2026-11-23', hours: hours({ 9: 2, 10: 4, 11: 1 }), peak: 4, visitors: 9 },
      { date: '2026-11-24', hours: hours({ 9: 3, 10: 1 }), peak: 3, visitors: 5 },
    ],
  };
}

function occupancyHub(asked: ApiRequest[] = []) {
  const hub = fakeHub({
    'GET /locations': () => [
      {
        id: 1,
        name: 'Harbor Berlin',
        time_zone: 'Europe/Berlin',
        booking_grace_minutes: 30,
        access_page_visibility: 'public',
        kisi_place_id: null,
      },
    ],
    'GET /locations/1/presence': () => ({ location_id: 1, as_of: NOW.toISOString(), present: [], checkout: '' }),
    'GET /locations/1/door-events': () => ({ events: [], next_before: null }),
    'GET /locations/1/occupancy': (request) => {
      asked.push(request);
      return occupancy(String(request.query?.from), String(request.query?.to));
    },
  });
  signedInAs(hub, staff);
  return hub;
}

const cellsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    );

describe('occupancy on Who’s in', () => {
  it('charts an average day of the last four weeks by hour, titled and described, with its numbers as a table', async () => {
    const asked: ApiRequest[] = [];
    const { user } = renderApp(occupancyHub(asked), '/desk/whos-in');
    const card = await screen.findByRole('region', { name: 'Occupancy' });
    const chart = await within(card).findByRole('figure', {
      name: 'People in by hour, an average day of Wed 28 Oct – Tue 24 Nov (Berlin time)',
    });
    expect(asked[0]?.query).toEqual({ from: '2026-10-28', to: '2026-11-24' });
    expect(description(chart)).toBe('Busiest at 09:00, with 2.5 people in on average.');

    const show = within(chart).getByRole('button', { name: 'Show as table' });
    expect(show.getAttribute('aria-expanded')).toBe('false');
    await user.click(show);
    const table = within(chart).getByRole('table', { name: /^People in by hour, an average day/ });
    const rows = cellsOf(table);
    expect(rows).toHaveLength(24);
    expect(rows.slice(8, 12)).toEqual([
      ['08:00', '0'],
      ['09:00', '2.5'],
      ['10:00', '2.5'],
      ['11:00', '0.5'],
    ]);
    expect(within(chart).getByRole('button', { name: 'Hide the table' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('renders a chart the keyboard reaches and walks bar by bar, titled and described for screen readers', async () => {
    const { user } = renderApp(occupancyHub(), '/desk/whos-in');
    const chart = await screen.findByRole('figure', { name: /^People in by hour/ });
    const svg = await waitFor(() => {
      const found = chart.querySelector<SVGElement>('svg.recharts-surface');
      if (!found) throw new Error('no chart drawn yet');
      return found;
    });
    expect(svg.getAttribute('tabindex')).toBe('0');
    expect(svg.querySelector('title')?.textContent).toMatch(/^People in by hour/);
    expect(svg.querySelector('desc')?.textContent).toBe('Busiest at 09:00, with 2.5 people in on average.');
    // Recharts' accessibility layer: focus shows 00:00, each arrow key moves the tooltip an hour on.
    act(() => svg.focus());
    await waitFor(() => expect(chart.querySelector('.recharts-tooltip-wrapper')?.textContent).toContain('00:00'));
    for (let i = 0; i < 9; i++) await user.keyboard('{ArrowRight}');
    await waitFor(() => expect(chart.querySelector('.recharts-tooltip-wrapper')?.textContent).toContain('09:00'));
    expect(chart.querySelector('.recharts-tooltip-wrapper')?.textContent).toContain('People in on average : 2.5');
  });

  it('charts one day’s hours when a day is picked', async () => {
    const { user } = renderApp(occupancyHub(), '/desk/whos-in');
    const card = await screen.findByRole('region', { name: 'Occupancy' });
    await user.selectOptions(await within(card).findByLabelText('Hours of'), 'Mon 23 Nov');
    const chart = within(card).getByRole('figure', { name: 'People in by hour on Mon 23 Nov (Berlin time)' });
    expect(description(chart)).toBe('Busiest at 10:00, with 4 people in. 9 people came that day.');
    await user.click(within(chart).getByRole('button', { name: 'Show as table' }));
    expect(cellsOf(within(chart).getByRole('table')).slice(9, 12)).toEqual([
      ['09:00', '2'],
      ['10:00', '4'],
      ['11:00', '1'],
    ]);
  });

  it('charts each day’s peak and visitors', async () => {
    const { user } = renderApp(occupancyHub(), '/desk/whos-in');
    const card = await screen.findByRole('region', { name: 'Occupancy' });
    await within(card).findByRole('figure');
    await user.click(within(card).getByRole('radio', { name: 'By day: peak and visitors' }));
    const chart = within(card).getByRole('figure', { name: 'Peak and visitors by day, Wed 28 Oct – Tue 24 Nov' });
    expect(description(chart)).toBe('Most visitors: 9 on Mon 23 Nov. Most in at once: 4 on Mon 23 Nov.');
    await user.click(within(chart).getByRole('button', { name: 'Show as table' }));
    const table = within(chart).getByRole('table');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Day', 'Most in at once', 'Visitors']);
    expect(cellsOf(table)).toEqual([
      ['Mon 23 Nov', '4', '9'],
      ['Tue 24 Nov', '3', '5'],
    ]);
  });

  it('says the 92-day limit in words, and asks for no longer range', async () => {
    const asked: ApiRequest[] = [];
    const { user } = renderApp(occupancyHub(asked), '/desk/whos-in');
    const days = await screen.findByRole('group', { name: 'Days charted' });
    expect(days.textContent).toContain('at most 92 days');
    await screen.findByRole('figure');
    const from = within(days).getByLabelText('From');
    await user.clear(from);
    await user.type(from, '2026-07-01');
    expect(within(days).getByRole('alert').textContent).toBe('At most 92 days at once: these are 147.');
    expect(asked.map((request) => request.query?.from)).not.toContain('2026-07-01');
    await user.clear(from);
    await user.type(from, '2026-09-01');
    await screen.findByRole('figure', { name: /Tue 1 Sept – Tue 24 Nov|Tue 1 Sep – Tue 24 Nov/ });
    expect(asked.at(-1)?.query).toEqual({ from: '2026-09-01', to: '2026-11-24' });
  });

  it('asks again when the hub announces door events', async () => {
    const asked: ApiRequest[] = [];
    const hub = occupancyHub(asked);
    renderApp(hub, '/desk/whos-in');
    await screen.findByRole('figure');
    const before = asked.length;
    act(() =>
      hub.emit({ kind: 'message', data: { kind: 'door_events_changed', location_id: 1, people: [4], id: null } }),
    );
    await waitFor(() => expect(asked.length).toBeGreaterThan(before));
  });
});
