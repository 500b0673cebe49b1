/**
 * Today over a fake hub, the browser in New York and the space in Berlin (issue 17, point 8): staff
 * land on it, read the day's bookings at Berlin times on the timeline and in its table, book a
 * free hour from the timeline and see the booking at once, switch to the week, and read what needs
 * them (Kisi failing, with whose access).
 */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ApiRequest } from '../../../api/transport';
import type { AccountView } from '../../../gen/AccountView';
import type { DeskBooking } from '../../../gen/DeskBooking';
import type { DeskDay } from '../../../gen/DeskDay';
import type { DeskDayView } from '../../../gen/DeskDayView';
import type { NewBookingRequest } from '../../../gen/NewBookingRequest';
import type { PersonView } from '../../../gen/PersonView';
import { fakeHub } from '../../../test/fakeHub';
import { signedInAs } from '../../../test/fixtures';
import { renderApp } from '../../../test/renderApp';

const staff: AccountView = { id: 2, email: 'desk@harbor.example', role: 'staff', person_id: null };
const HOUR = 3_600_000;
/** Tue 24 Nov 2026 in Berlin: 23:00Z the day before to 23:00Z. */
const DAY_START = Date.parse('2026-11-23T23:00:00Z');
const at = (berlinHour: number) => new Date(DAY_START + berlinHour * HOUR).toISOString();
const mia = { id: 4, name: 'Mia Keller' };
const noah = { id: 5, name: 'Noah Becker' };

const spreeMorning: DeskBooking = {
  id: 11,
  resource_id: 2,
  booker: mia,
  invitees: [noah],
  start: at(9.5),
  end: at(11.5),
  start_local: '2026-11-24 09:30',
  end_local: '2026-11-24 11:30',
  from_earlier_day: false,
  into_later_day: false,
};

function day(bookings: DeskBooking[], date = '2026-11-24', offset = 0): DeskDay {
  const start = DAY_START + offset * 24 * HOUR;
  return {
    date,
    starts_at: new Date(start).toISOString(),
    ends_at: new Date(start + 24 * HOUR).toISOString(),
    hours: Array.from({ length: 24 }, (_, h) => ({
      at: new Date(start + h * HOUR).toISOString(),
      local: `${String(h).padStart(2, '0')}:00`,
    })),
    bookings,
    visits: [
      {
        id: 3,
        visitor: { id: 8, name: 'Vera Visitor' },
        policy: 'Guests',
        expected_arrival: at(10),
        expected_departure: at(17),
        expected_arrival_local: '2026-11-24 10:00',
        expected_departure_local: '2026-11-24 17:00',
      },
    ],
    day_passes: [{ id: 6, person: { id: 9, name: 'Dana Daypass' }, product: 'Day Pass Berlin' }],
  };
}

function view(bookings: DeskBooking[], days = 1): DeskDayView {
  return {
    location_id: 1,
    time_zone: 'Europe/Berlin',
    resources: [
      { id: 1, name: 'Meeting Room Elbe', kind: 'room' },
      { id: 2, name: 'Meeting Room Spree', kind: 'room' },
    ],
    days: Array.from({ length: days }, (_, i) => day(i === 0 ? bookings : [], `2026-11-${24 + i}`, i)),
    now: {
      at: at(10.5),
      at_local: '2026-11-24 10:30',
      access: [{ person: mia, via: ['booking of Meeting Room Spree, 09:30–11:30'] }],
      on_hold: [{ person: { id: 7, name: 'Otto Onhold' }, since: at(8), since_local: '2026-11-24 08:00' }],
      failures: [],
      kisi: { last_success_at: at(10.4), failing_entries: 0, failing_since: null, message: null },
    },
  };
}

function staffHub(shown: () => DeskDayView) {
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
    'GET /locations/1/desk-day': (request: ApiRequest) => {
      const days = Number(request.query?.days ?? 1);
      return {
        ...shown(),
        days: view([spreeMorning], days).days.map((d, i) => (i === 0 ? (shown().days[0] ?? d) : d)),
      };
    },
    'GET /locations/1/resources': () => [
      { id: 1, location_id: 1, name: 'Meeting Room Elbe', kind: 'room', door_access: { groups: [], locks: [] } },
      { id: 2, location_id: 1, name: 'Meeting Room Spree', kind: 'room', door_access: { groups: [], locks: [] } },
    ],
    'GET /people': (request: ApiRequest) => {
      const everyone: PersonView[] = [{ id: 4, name: 'Mia Keller', email: 'mia@harbor.example' }];
      const items = everyone.filter((p) =>
        p.name.toLowerCase().includes(String(request.query?.search ?? '').toLowerCase()),
      );
      return { items, total: items.length, offset: 0, limit: 8 };
    },
  });
  signedInAs(hub, staff);
  return hub;
}

describe('the Today page', () => {
  it('is where staff land, and shows the day at Berlin times with the zone named', async () => {
    const hub = staffHub(() => view([spreeMorning]));
    renderApp(hub, '/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Today' })).toBeTruthy();
    expect(screen.getByText(/times in Berlin time \(Europe\/Berlin\)/)).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Bookings on Tue 24 Nov (Berlin time)' });
    const cells = within(table)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    // 09:30 in Berlin, never New York's 03:30.
    expect(cells).toEqual(['Meeting Room Spree', 'Tue 24 Nov 09:30–11:30', 'Mia Keller', 'Noah Becker']);
    expect(hub.seen).toContain('GET /locations/1/desk-day');
  });

  it('leaves admins landing on Admin, with Today in their menu', async () => {
    const hub = staffHub(() => view([spreeMorning]));
    signedInAs(hub, { ...staff, role: 'admin' });
    const { user } = renderApp(hub, '/');
    const menu = await screen.findByRole('navigation', { name: 'Main' });
    await screen.findByRole('link', { name: 'Admin', current: 'page' });
    expect(screen.queryByRole('heading', { level: 1, name: 'Today' })).toBeNull();
    await user.click(within(menu).getByRole('link', { name: 'Today' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Today' })).toBeTruthy();
  });

  it('offers only the free hours of each resource on the timeline, named for screen readers', async () => {
    renderApp(
      staffHub(() => view([spreeMorning])),
      '/desk/today',
    );
    const timeline = await screen.findByRole('group', { name: /^Timeline of Tue 24 Nov, Berlin time/ });
    expect(within(timeline).getByRole('button', { name: 'Book Meeting Room Spree at 08:00' })).toBeTruthy();
    // 09:30–11:30 takes the hours from 09:00 to 12:00.
    for (const hour of ['09:00', '10:00', '11:00']) {
      expect(within(timeline).queryByRole('button', { name: `Book Meeting Room Spree at ${hour}` })).toBeNull();
      expect(within(timeline).getByRole('button', { name: `Book Meeting Room Elbe at ${hour}` })).toBeTruthy();
    }
    expect(within(timeline).getByRole('button', { name: 'Book Meeting Room Spree at 12:00' })).toBeTruthy();
  });

  it('books a free hour from the timeline and shows the booking at once', async () => {
    let bookings = [spreeMorning];
    const hub = staffHub(() => view(bookings));
    const sent: NewBookingRequest[] = [];
    hub.on('POST /bookings', (request) => {
      const body = request.body as NewBookingRequest;
      sent.push(body);
      bookings = [
        ...bookings,
        {
          ...spreeMorning,
          id: 12,
          resource_id: 1,
          invitees: [],
          start: body.start,
          end: body.end,
          start_local: '2026-11-24 14:00',
          end_local: '2026-11-24 15:00',
        },
      ];
      return {
        id: 12,
        location_id: 1,
        resource_id: 1,
        booker_id: 4,
        invitee_ids: [],
        start: body.start,
        end: body.end,
        cancelled_at: null,
      };
    });
    const { user } = renderApp(hub, '/desk/today');
    await user.click(await screen.findByRole('button', { name: 'Book Meeting Room Elbe at 14:00' }));
    const form = await screen.findByRole('form', { name: 'New booking' });
    expect((within(form).getByLabelText('Resource') as HTMLSelectElement).value).toBe('1');
    const moment = (name: RegExp) => {
      const group = within(within(form).getByRole('group', { name }));
      return `${(group.getByLabelText('Date') as HTMLInputElement).value}T${(group.getByLabelText('Time') as HTMLInputElement).value}`;
    };
    expect(moment(/^Start/)).toBe('2026-11-24T14:00');
    expect(moment(/^End/)).toBe('2026-11-24T15:00');
    fireEvent.change(within(form).getByLabelText('Booker'), { target: { value: 'Mia' } });
    await user.click(await within(form).findByRole('button', { name: /Mia Keller/ }));
    await user.click(within(form).getByRole('button', { name: 'Book' }));
    // 14:00–15:00 in Berlin is 13:00–14:00 UTC (the browser's New York plays no part).
    expect(sent).toEqual([
      {
        resource_id: 1,
        booker_id: 4,
        invitee_ids: [],
        start: '2026-11-24T13:00:00.000Z',
        end: '2026-11-24T14:00:00.000Z',
      },
    ]);
    const table = await screen.findByRole('table', { name: 'Bookings on Tue 24 Nov (Berlin time)' });
    await within(table).findByText('Tue 24 Nov 14:00–15:00');
    expect(within(table).getByText('Meeting Room Elbe')).toBeTruthy();
  });

  it('shows a booking made at another desk as soon as the hub announces it', async () => {
    let bookings = [spreeMorning];
    const hub = staffHub(() => view(bookings));
    renderApp(hub, '/desk/today');
    const table = await screen.findByRole('table', { name: 'Bookings on Tue 24 Nov (Berlin time)' });
    act(() => hub.live('live'));
    await within(table).findByText('Tue 24 Nov 09:30–11:30');
    bookings = [
      ...bookings,
      {
        ...spreeMorning,
        id: 13,
        resource_id: 1,
        start: at(16),
        end: at(17),
        start_local: '2026-11-24 16:00',
        end_local: '2026-11-24 17:00',
      },
    ];
    act(() => hub.emit({ kind: 'message', data: { kind: 'booking_changed', location_id: 1, people: [4], id: 13 } }));
    expect(await within(table).findByText('Tue 24 Nov 16:00–17:00')).toBeTruthy();
  });

  it('shows the week as bookings per resource per day, with visitors and day passes', async () => {
    const { user } = renderApp(
      staffHub(() => view([spreeMorning])),
      '/desk/today',
    );
    await screen.findByRole('table', { name: /^Bookings on/ });
    await user.click(screen.getByRole('button', { name: 'Week' }));
    const week = await screen.findByRole('table', { name: 'The week from Tue 24 Nov (Berlin time)' });
    const headers = within(week)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual([
      'Resource',
      'Tue 24 Nov',
      'Wed 25 Nov',
      'Thu 26 Nov',
      'Fri 27 Nov',
      'Sat 28 Nov',
      'Sun 29 Nov',
      'Mon 30 Nov',
    ]);
    const spree = within(week).getByText('Meeting Room Spree').closest('tr');
    expect(spree?.textContent).toContain('09:30–11:30 Mia Keller with Noah Becker');
    const visitors = within(week).getByText('Expected visitors').closest('tr');
    expect(visitors?.textContent).toContain('10:00 Vera Visitor');
    // A day of the week opens on the timeline.
    await user.click(
      within(screen.getByRole('group', { name: 'Open a day of the week' })).getByRole('button', { name: 'Tue 24 Nov' }),
    );
    expect(await screen.findByRole('group', { name: /^Timeline of Tue 24 Nov/ })).toBeTruthy();
  });

  it('names visitors, day passes, who has access now and who is on hold', async () => {
    renderApp(
      staffHub(() => view([spreeMorning])),
      '/desk/today',
    );
    const visitors = await screen.findByRole('table', { name: 'Visitors expected this day' });
    expect(
      within(visitors)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['10:00–17:00', 'Vera Visitor', 'Guests']);
    expect(screen.getByRole('table', { name: 'Day passes for this day' }).textContent).toContain('Dana Daypass');
    const access = screen.getByRole('list', { name: 'People with door access now' });
    expect(access.textContent).toContain('Mia Keller · booking of Meeting Room Spree, 09:30–11:30');
    expect(screen.getByRole('heading', { name: 'Access now: 1 person' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'People on hold' }).textContent).toContain('Otto Onhold · since 08:00');
  });

  it('puts Kisi failing first, with whose access it is and since when in Berlin time', async () => {
    const failing = view([spreeMorning]);
    failing.now.kisi = {
      last_success_at: at(7),
      failing_entries: 1,
      failing_since: at(8),
      message: 'Kisi answered 503. What to do: nothing; the sync retries',
    };
    failing.now.failures = [
      {
        entry_id: 4,
        person: mia,
        message: 'Kisi answered 503. What to do: nothing; the sync retries',
        failing_since: at(8),
        failing_since_local: '2026-11-24 08:00',
        attempts: 3,
      },
    ];
    renderApp(
      staffHub(() => failing),
      '/desk/today',
    );
    expect(await screen.findByText(/^Kisi has been failing since 08:00 \(Berlin time\)/)).toBeTruthy();
    const table = screen.getByRole('table', { name: '1 change Kisi keeps refusing' });
    expect(
      within(table)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['Mia Keller', '08:00 (Berlin time)', '3', 'Kisi answered 503. What to do: nothing; the sync retries']);
  });
});
