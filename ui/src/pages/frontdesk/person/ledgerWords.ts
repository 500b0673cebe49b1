/**
 * The ledger's words (issue 15): each door a person opened or tried, said against what Doorlink
 * gave them there then. Four kinds: entered because of an entitlement; entered without one (a
 * card Kisi issued by hand, a grant made in Kisi, a revocation not yet applied); denied at the
 * door by Kisi; and locked out: Kisi refused a door Doorlink granted, which someone must act on.
 */
import type { Tone } from '../../../components/Notice';
import type { LedgerEntryView } from '../../../gen/LedgerEntryView';

export type LedgerKind = 'entered' | 'entered_without_entitlement' | 'denied' | 'locked_out';

export function ledgerKind(entry: LedgerEntryView): LedgerKind {
  if (entry.opened) return entry.entitled ? 'entered' : 'entered_without_entitlement';
  return entry.entitled ? 'locked_out' : 'denied';
}

export const LEDGER_TONE: Record<LedgerKind, Tone> = {
  entered: 'success',
  entered_without_entitlement: 'warning',
  denied: 'neutral',
  locked_out: 'warning',
};

/** Kisi's own words for a refusal, or that it gave none. */
function refusalWords(entry: LedgerEntryView): string {
  return entry.refusal?.trim() || 'Kisi gave no reason';
}

/**
 * What happened at the door in words, as a headline (in the kind's colour) and the rest of the
 * sentence: "Entered — because Hot desk (Monthly plan)", "Denied at the door: Access denied",
 * "Locked out: Kisi refused although Doorlink granted this door — Access denied".
 */
export function ledgerWords(entry: LedgerEntryView): { headline: string; detail: string } {
  switch (ledgerKind(entry)) {
    case 'entered':
      return { headline: 'Entered', detail: entry.because.length ? ` — because ${entry.because.join('; ')}` : '' };
    case 'entered_without_entitlement':
      return { headline: 'Entered without a valid entitlement', detail: '' };
    case 'denied':
      return { headline: 'Denied at the door', detail: `: ${refusalWords(entry)}` };
    case 'locked_out':
      return {
        headline: 'Locked out',
        detail: `: Kisi refused although Doorlink granted this door — ${refusalWords(entry)}`,
      };
  }
}
