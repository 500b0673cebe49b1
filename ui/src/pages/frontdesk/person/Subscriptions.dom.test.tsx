/**
 * A company's subscription on the front desk, in a simulated DOM over a fake hub: beneficiaries in
 * words and picked among the current members (R5), an item removed only once confirmed, and the
 * hub's refusal of a new item shown at the field it names.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/errors';
import type { AccountView } from '../../../gen/AccountView';
import type { LocationView } from '../../../gen/LocationView';
import type { MembershipView } from '../../../gen/MembershipView';
import type { PersonView } from '../../../gen/PersonView';
import type { SubscriptionView } from '../../../gen/SubscriptionView';
import { fakeHub } from '../../../test/fakeHub';
import { NOW, signedInAs } from '../../../test/fixtures';
import { renderApp } from '../../../test/renderApp';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

const frontDesk: AccountView = { id: 2, email: 'frontdesk@harbor.example', role: 'staff', person_id: null };
const location: LocationView = {
  id: 1,
  name: 'Harbor Berlin',
  time_zone: 'Europe/Berlin',
  booking_grace_minutes: 30,
  access_page_visibility: 'public',
  kisi_place_id: null,
};
const people: PersonView[] = [
  { id: 24, name: 'Nora Pohl', email: 'nora.pohl@example.com' },
  { id: 28, name: 'Mila Seidel', email: 'mila.seidel@example.com' },
  { id: 23, name: 'Karl Horn', email: 'karl.horn@example.com' },
];
const member = (person_id: number, left_at: string | null = null): MembershipView => ({
  person_id,
  company_id: 5,
  joined_at: '2026-08-24T07:00:00Z',
  left_at,
});
const blueFinch = (changes: Partial<SubscriptionView> = {}): SubscriptionView => ({
  id: 22,
  location_id: 1,
  holder: { kind: 'company', id: 5 },
  start: '2026-10-08',
  end: null,
  cancelled_at: null,
  items: [
    { id: 31, sells: { kind: 'plan', id: 2 }, access_override: null },
    { id: 32, sells: { kind: 'resource_rental', id: 9 }, access_override: null },
  ],
  beneficiaries: [24],
  payment_status: 'paid',
  ...changes,
});

function companyHub(subscription = blueFinch()) {
  const hub = fakeHub({
    'GET /locations': () => [location],
    'GET /companies': () => ({ items: [{ id: 5, name: 'Blue Finch Studio' }], total: 1, offset: 0, limit: 200 }),
    // Karl Horn left last week: he is no member now.
    'GET /companies/5/members': () => [member(24), member(28), member(23, '2026-11-17T17:00:00Z')],
    'GET /subscriptions': () => [subscription],
    'GET /locations/1/plans': () => [
      { id: 2, location_id: 1, name: 'Dedicated desk', door_access: { groups: [11], locks: [] } },
    ],
    'GET /locations/1/resources': () => [
      { id: 9, location_id: 1, name: 'Office 102', kind: 'office', door_access: { groups: [12], locks: [] } },
    ],
    'GET /locations/1/products': () => [],
    'GET /locations/1/kisi/catalogue': () => ({ places: [], groups: [], locks: [] }),
  });
  for (const person of people) hub.on(`GET /people/${person.id}`, () => person);
  signedInAs(hub, frontDesk);
  return hub;
}

describe('a company subscription at the front desk', () => {
  it('names its beneficiaries and lets staff give it to every member, said in words', async () => {
    const hub = companyHub();
    let sent: unknown;
    hub.on('PUT /subscriptions/22/beneficiaries', (request) => {
      sent = request.body;
      return blueFinch({ beneficiaries: [] });
    });
    const { user } = renderApp(hub, '/desk/companies/5');
    expect(await screen.findByText('Only Nora Pohl. Other members get nothing from this subscription.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Change beneficiaries…' }));
    const dialog = await screen.findByRole('dialog', { name: /^Beneficiaries of .*Office 102, from 2026-10-08$/ });
    // The current members to tick; Karl Horn has left and is not offered.
    expect(
      within(dialog)
        .getAllByRole('checkbox')
        .map((box) => box.closest('.check')?.textContent),
    ).toEqual(['Nora Pohl', 'Mila Seidel']);
    await user.click(within(dialog).getByRole('button', { name: 'Every member' }));
    expect(within(dialog).getByText(/None ticked: every member of the company gets access/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Save beneficiaries' }));
    await waitFor(() => expect(sent).toEqual({ beneficiaries: [] }));
  });

  it('removes an item only once staff confirm it', async () => {
    const hub = companyHub();
    hub.on('DELETE /subscriptions/22/items/32', () => blueFinch({ items: blueFinch().items.slice(0, 1) }));
    const { user } = renderApp(hub, '/desk/companies/5');
    await user.click(await screen.findByRole('button', { name: 'Remove Rental of Office 102' }));
    const confirm = screen.getByRole('dialog', { name: 'Remove Rental of Office 102?' });
    await user.click(within(confirm).getByRole('button', { name: 'Keep it' }));
    expect(hub.seen).not.toContain('DELETE /subscriptions/22/items/32');

    await user.click(screen.getByRole('button', { name: 'Remove Rental of Office 102' }));
    await user.click(
      within(screen.getByRole('dialog', { name: 'Remove Rental of Office 102?' })).getByRole('button', {
        name: 'Remove item',
      }),
    );
    await waitFor(() => expect(hub.seen).toContain('DELETE /subscriptions/22/items/32'));
  });

  it('shows the hub’s refusal of a new item next to the field it names', async () => {
    const hub = companyHub();
    hub.on('POST /subscriptions/22/items', () => {
      throw new ApiError(422, 'validation_failed', 'The item was refused.', [
        { field: 'sells', problem: 'Dedicated desk is already sold on this subscription.' },
      ]);
    });
    const { user } = renderApp(hub, '/desk/companies/5');
    await user.click(await screen.findByRole('button', { name: 'Add item…' }));
    const form = await screen.findByRole('form', { name: /^New item of .*Office 102, from 2026-10-08$/ });
    const sells = within(form).getByLabelText('Sells');
    await user.selectOptions(sells, 'Plan: Dedicated desk');
    await user.click(within(form).getByRole('button', { name: 'Add item' }));
    await waitFor(() => expect(sells.getAttribute('aria-invalid')).toBe('true'));
    const problemId = sells
      .getAttribute('aria-describedby')
      ?.split(' ')
      .find((id) => id.endsWith('-problem'));
    expect(document.getElementById(problemId ?? '')?.textContent).toBe(
      'Dedicated desk is already sold on this subscription.',
    );
  });
});
