import { describe, expect, it } from 'vitest';
import type { LedgerEntryView } from '../../../gen/LedgerEntryView';
import { ledgerKind, ledgerWords } from './ledgerWords';

const entry = (changes: Partial<LedgerEntryView>): LedgerEntryView => ({
  at: '2026-11-24T08:12:00Z',
  door: 'Front Door',
  kisi_lock_id: 11,
  opened: true,
  refusal: null,
  entitled: true,
  because: [],
  reason: null,
  ...changes,
});

const sentence = (e: LedgerEntryView) => {
  const { headline, detail } = ledgerWords(e);
  return headline + detail;
};

describe('the ledger’s words', () => {
  it('says what let her through, each reason once', () => {
    expect(sentence(entry({ because: ['Hot desk (Monthly plan)', 'Manual grant by Ana'] }))).toBe(
      'Entered — because Hot desk (Monthly plan); Manual grant by Ana',
    );
    expect(sentence(entry({}))).toBe('Entered');
  });

  it('tells a door opened without an entitlement from one refused', () => {
    expect(ledgerKind(entry({ entitled: false }))).toBe('entered_without_entitlement');
    expect(sentence(entry({ opened: false, entitled: false, refusal: 'Access denied' }))).toBe(
      'Denied at the door: Access denied',
    );
  });

  it('calls a refusal of a door Doorlink granted a lockout, with Kisi’s reason or its silence', () => {
    expect(sentence(entry({ opened: false, refusal: 'Lock is offline' }))).toBe(
      'Locked out: Kisi refused although Doorlink granted this door — Lock is offline',
    );
    expect(sentence(entry({ opened: false, refusal: '  ' }))).toBe(
      'Locked out: Kisi refused although Doorlink granted this door — Kisi gave no reason',
    );
  });
});
