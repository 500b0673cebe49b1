/**
 * What a subscription sells and who it reaches, in words staff read: the choices for a new item
 * (M1 plans, M2 resource rentals, M4 services) and the beneficiaries of a company subscription (R5).
 */
import type { DoorAccess } from '../../../gen/DoorAccess';
import type { ItemRef } from '../../../gen/ItemRef';
import type { MembershipView } from '../../../gen/MembershipView';

interface Named {
  id: number;
  name: string;
  /** What the item inherits unless it overrides it (M3). */
  door_access?: DoorAccess;
}

/** The catalog of a location, as far as it has loaded. */
export interface ItemCatalog {
  plans?: Named[];
  resources?: (Named & { kind: string })[];
  products?: (Named & { kind: string })[];
}

export interface ItemChoice {
  value: string;
  label: string;
}

/** A select value for an item: `plan:3`, `resource_rental:7`, `service:2`. */
export const choiceOf = (ref: ItemRef): string => `${ref.kind}:${ref.id}`;

/** The item a select value stands for; undefined for anything else (the "Pick…" entry). */
export function itemRefOf(value: string): ItemRef | undefined {
  const match = /^(plan|resource_rental|service):(\d+)$/.exec(value);
  if (!match) return undefined;
  const id = Number(match[2]);
  switch (match[1]) {
    case 'plan':
      return { kind: 'plan', id };
    case 'resource_rental':
      return { kind: 'resource_rental', id };
    default:
      return { kind: 'service', id };
  }
}

/**
 * What an item may sell: every plan, every resource to rent, and every service product. Day passes
 * are not sold on a subscription (they are passes for one day, R9).
 */
export function itemChoices(catalog: ItemCatalog): ItemChoice[] {
  return [
    ...(catalog.plans ?? []).map((p) => ({ value: choiceOf({ kind: 'plan', id: p.id }), label: `Plan: ${p.name}` })),
    ...(catalog.resources ?? []).map((r) => ({
      value: choiceOf({ kind: 'resource_rental', id: r.id }),
      label: `Rent ${r.kind}: ${r.name}`,
    })),
    ...(catalog.products ?? [])
      .filter((p) => p.kind === 'service')
      .map((p) => ({ value: choiceOf({ kind: 'service', id: p.id }), label: `Service: ${p.name}` })),
  ];
}

/** What an item sells, from the catalog (undefined while it loads or when it is gone). */
export function soldRecord(sells: ItemRef, catalog: ItemCatalog): Named | undefined {
  const list =
    sells.kind === 'plan' ? catalog.plans : sells.kind === 'resource_rental' ? catalog.resources : catalog.products;
  return list?.find((x) => x.id === sells.id);
}

/** "Plan Hot desk", "Rental of Office 101", "Service Roof terrace evenings"; words, never the id, when not (yet) known. */
export function itemName(sells: ItemRef, catalog: ItemCatalog): string {
  const list =
    sells.kind === 'plan' ? catalog.plans : sells.kind === 'resource_rental' ? catalog.resources : catalog.products;
  const name = soldRecord(sells, catalog)?.name ?? (list === undefined ? '…' : 'no longer in the catalog');
  switch (sells.kind) {
    case 'plan':
      return `Plan ${name}`;
    case 'resource_rental':
      return `Rental of ${name}`;
    case 'service':
      return `Service ${name}`;
  }
}

/** The people who are members of the company now (R5: membership counts while it lasts). */
export function currentMemberIds(memberships: MembershipView[], now: Date): number[] {
  const ids = memberships
    .filter((m) => new Date(m.joined_at) <= now && (m.left_at === null || new Date(m.left_at) > now))
    .map((m) => m.person_id);
  return [...new Set(ids)];
}

/** One person staff may tick as a beneficiary, and whether they are still in the company. */
export interface BeneficiaryChoice {
  personId: number;
  member: boolean;
}

/**
 * Who the beneficiaries editor lists: the current members, then anyone still named a beneficiary
 * who has left the company (so staff can see and untick them; they get nothing while outside, R5).
 */
export function beneficiaryChoices(memberIds: number[], beneficiaries: number[]): BeneficiaryChoice[] {
  return [
    ...memberIds.map((personId) => ({ personId, member: true })),
    ...beneficiaries.filter((id) => !memberIds.includes(id)).map((personId) => ({ personId, member: false })),
  ];
}

/**
 * R5 in words: an empty list reaches every member; otherwise only the named people, and only
 * while they are members.
 */
export function beneficiarySummary(
  beneficiaries: number[],
  memberIds: number[],
  nameOf: (id: number) => string,
): string {
  if (beneficiaries.length === 0) {
    const count = memberIds.length;
    return `Every member of the company, now ${count} ${count === 1 ? 'person' : 'people'}; anyone who joins gets access at once.`;
  }
  const outside = beneficiaries.filter((id) => !memberIds.includes(id));
  const names = beneficiaries.map(nameOf).join(', ');
  const note =
    outside.length === 0
      ? ''
      : ` ${outside.map(nameOf).join(', ')} ${outside.length === 1 ? 'has left the company and gets' : 'have left the company and get'} nothing from it.`;
  return `Only ${names}.${note} Other members get nothing from this subscription.`;
}

/**
 * A subscription as people name it: what it sells and since when ("Hot desk + Locker, from
 * 2026-03-01"), never its id (issue 17 point 5).
 */
export function subscriptionTitle(
  subscription: { start: string; items: { sells: ItemRef }[] },
  catalog: ItemCatalog,
): string {
  const names = subscription.items
    .map((item) => soldRecord(item.sells, catalog)?.name)
    .filter((n): n is string => n !== undefined);
  const what = names.length > 0 ? names.join(' + ') : 'Subscription';
  return `${what}, from ${subscription.start}`;
}
