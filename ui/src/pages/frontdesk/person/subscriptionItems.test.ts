import { describe, expect, it } from 'vitest';
import {
  beneficiaryChoices,
  beneficiarySummary,
  currentMemberIds,
  itemChoices,
  itemName,
  subscriptionTitle,
  itemRefOf,
} from './subscriptionItems';

const catalog = {
  plans: [{ id: 1, name: 'Hot desk' }],
  resources: [{ id: 4, name: 'Office 101', kind: 'office' }],
  products: [
    { id: 7, name: 'Day pass', kind: 'day_pass' },
    { id: 8, name: 'Roof terrace evenings', kind: 'service' },
  ],
};

describe('what a subscription item may sell (M1, M2, M4)', () => {
  it('offers every plan, every resource to rent and the services, but no day pass', () => {
    expect(itemChoices(catalog)).toEqual([
      { value: 'plan:1', label: 'Plan: Hot desk' },
      { value: 'resource_rental:4', label: 'Rent office: Office 101' },
      { value: 'service:8', label: 'Service: Roof terrace evenings' },
    ]);
  });

  it('turns each choice back into the item the hub takes', () => {
    for (const choice of itemChoices(catalog)) expect(itemRefOf(choice.value)).toBeDefined();
    expect(itemRefOf('resource_rental:4')).toEqual({ kind: 'resource_rental', id: 4 });
    expect(itemRefOf('service:8')).toEqual({ kind: 'service', id: 8 });
  });

  it('refuses the empty pick and anything malformed', () => {
    expect(itemRefOf('')).toBeUndefined();
    expect(itemRefOf('plan:')).toBeUndefined();
    expect(itemRefOf('day_pass:7')).toBeUndefined();
    expect(itemRefOf('plan:1x')).toBeUndefined();
  });

  it('names items by what they sell, never by id (issue 17 point 5)', () => {
    expect(itemName({ kind: 'plan', id: 1 }, catalog)).toBe('Plan Hot desk');
    expect(itemName({ kind: 'resource_rental', id: 4 }, catalog)).toBe('Rental of Office 101');
    expect(itemName({ kind: 'service', id: 8 }, catalog)).toBe('Service Roof terrace evenings');
    expect(itemName({ kind: 'plan', id: 9 }, {})).toBe('Plan …');
    expect(itemName({ kind: 'plan', id: 9 }, catalog)).toBe('Plan no longer in the catalog');
    expect(
      subscriptionTitle(
        {
          start: '2026-03-01',
          items: [{ sells: { kind: 'plan', id: 1 } }, { sells: { kind: 'resource_rental', id: 4 } }],
        },
        catalog,
      ),
    ).toBe('Hot desk + Office 101, from 2026-03-01');
    expect(subscriptionTitle({ start: '2026-03-01', items: [] }, catalog)).toBe('Subscription, from 2026-03-01');
  });
});

describe('beneficiaries of a company subscription (R5)', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const memberships = [
    { person_id: 1, company_id: 5, joined_at: '2026-01-01T09:00:00Z', left_at: null },
    { person_id: 2, company_id: 5, joined_at: '2026-01-01T09:00:00Z', left_at: '2026-11-15T18:00:00Z' },
    { person_id: 3, company_id: 5, joined_at: '2026-12-01T09:00:00Z', left_at: null },
    { person_id: 4, company_id: 5, joined_at: '2026-02-01T09:00:00Z', left_at: '2026-11-30T18:00:00Z' },
  ];
  const names: Record<number, string> = { 1: 'Ana Keller', 2: 'Ben Ott', 4: 'Dana Roth' };
  const nameOf = (id: number) => names[id] ?? `person ${id}`;

  it('counts as members only those who have joined and not yet left', () => {
    expect(currentMemberIds(memberships, now)).toEqual([1, 4]);
  });

  it('says in words that an empty list reaches every member', () => {
    expect(beneficiarySummary([], [1, 4], nameOf)).toBe(
      'Every member of the company, now 2 people; anyone who joins gets access at once.',
    );
    expect(beneficiarySummary([], [1], nameOf)).toMatch(/now 1 person;/);
  });

  it('names the chosen beneficiaries and who among them has left', () => {
    expect(beneficiarySummary([1], [1, 4], nameOf)).toBe(
      'Only Ana Keller. Other members get nothing from this subscription.',
    );
    expect(beneficiarySummary([1, 2], [1, 4], nameOf)).toBe(
      'Only Ana Keller, Ben Ott. Ben Ott has left the company and gets nothing from it. Other members get nothing from this subscription.',
    );
  });

  it('lists current members to pick from, then beneficiaries who have left', () => {
    expect(beneficiaryChoices([1, 4], [2, 4])).toEqual([
      { personId: 1, member: true },
      { personId: 4, member: true },
      { personId: 2, member: false },
    ]);
  });
});
