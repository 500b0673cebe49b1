import { describe, expect, it } from 'vitest';
import { connectRequest, validateConnect } from '../admin/KisiConnection';
import { validateLocation } from '../admin/LocationSettings';
import { validateBooking } from './BookingForm';
import { dayRange } from './BookingsPage';
import { subscriptionStatus } from './person/Subscriptions';

describe('booking form checks', () => {
  it('asks for a resource, a start and an end after it', () => {
    expect(validateBooking({ resource_id: '', start: '', end: '' })).toEqual({
      resource_id: 'Pick what to book.',
      start: 'Enter the start date and time.',
      end: 'Enter the end date and time.',
    });
    expect(validateBooking({ resource_id: '1', start: '2026-12-11T12:00', end: '2026-12-11T11:00' }).end).toBe(
      'The end must be after the start.',
    );
    expect(
      Object.values(validateBooking({ resource_id: '1', start: '2026-12-11T12:00', end: '2026-12-11T16:00' })).filter(
        Boolean,
      ),
    ).toEqual([]);
  });
});

describe('a day of bookings in the location zone', () => {
  it('runs from local midnight to local midnight, 23 hours on the spring-forward day', () => {
    const [from, until] = dayRange('2026-03-29', 1, 'Europe/Berlin');
    expect(from.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(until.toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });
});

describe('connecting Kisi (C1)', () => {
  const empty = {
    method: 'owner_login' as const,
    email: '',
    password: '',
    domain: '',
    otp_attempt: '',
    api_key: '',
    base_url: '',
  };

  it('asks for the owner sign-in, or for the key when connecting with a key', () => {
    expect(validateConnect(empty)).toMatchObject({
      email: 'Enter the Kisi account owner’s e-mail.',
      password: 'Enter the owner’s Kisi password.',
      domain: 'Enter the organization’s Kisi domain.',
      api_key: undefined,
    });
    expect(validateConnect({ ...empty, method: 'api_key' })).toMatchObject({
      email: undefined,
      api_key: 'Paste the API key from Kisi › My account › API.',
    });
  });

  it('refuses an address that is not a URL', () => {
    expect(validateConnect({ ...empty, method: 'api_key', api_key: 'k', base_url: 'kisi' }).base_url).toMatch(
      /Enter an https:\/\/ URL/,
    );
  });

  it('sends the method the admin chose, with the default address left to the hub', () => {
    expect(connectRequest({ ...empty, email: ' owner@x.io ', password: 'pw', domain: 'harbor' })).toEqual({
      method: 'owner_login',
      email: 'owner@x.io',
      password: 'pw',
      domain: 'harbor',
      otp_attempt: null,
      base_url: null,
    });
    expect(
      connectRequest({ ...empty, email: 'owner@x.io', password: 'pw', domain: 'harbor', otp_attempt: ' 123456 ' }),
    ).toMatchObject({ otp_attempt: '123456' });
    expect(
      connectRequest({ ...empty, method: 'api_key', api_key: ' abc ', base_url: 'http://127.0.0.1:7400' }),
    ).toEqual({
      method: 'api_key',
      api_key: 'abc',
      base_url: 'http://127.0.0.1:7400',
    });
  });
});

describe('location settings', () => {
  it('accepts IANA zones only and a grace of whole minutes', () => {
    const base = {
      name: 'Harbor',
      time_zone: 'Europe/Berlin',
      booking_grace_minutes: '30',
      access_page_visibility: 'public' as const,
    };
    expect(Object.values(validateLocation(base)).filter(Boolean)).toEqual([]);
    expect(validateLocation({ ...base, time_zone: 'Berlin/Mitte' }).time_zone).toMatch(/IANA/);
    expect(validateLocation({ ...base, booking_grace_minutes: '7.5' }).booking_grace_minutes).toMatch(/whole minutes/);
  });
});

describe('where a subscription stands', () => {
  const subscription = {
    id: 1,
    location_id: 1,
    holder: { kind: 'person' as const, id: 1 },
    start: '2026-12-01',
    end: '2026-12-31',
    cancelled_at: null,
    items: [],
    beneficiaries: [],
    payment_status: 'unpaid' as const,
  };
  const now = new Date('2026-12-11T10:00:00Z');

  it('is active through its last day, whatever the payment (R2, R4)', () => {
    expect(subscriptionStatus(subscription, '2026-12-31', now)).toEqual({
      label: 'Active until end of 2026-12-31',
      tone: 'success',
    });
  });

  it('has not started before its first day (R1) and ended after its last', () => {
    expect(subscriptionStatus(subscription, '2026-11-30', now).label).toBe('Starts 2026-12-01');
    expect(subscriptionStatus(subscription, '2027-01-01', now).label).toBe('Ended 2026-12-31');
  });

  it('is cancelled from its cancellation instant (R3)', () => {
    expect(subscriptionStatus({ ...subscription, cancelled_at: '2026-12-10T09:00:00Z' }, '2026-12-11', now).label).toBe(
      'Cancelled',
    );
    expect(subscriptionStatus({ ...subscription, cancelled_at: '2026-12-20T09:00:00Z' }, '2026-12-11', now).tone).toBe(
      'success',
    );
  });
});
