/**
 * Issue 17, honest status: whether Kisi confirmed the access a page states (confirmed, pending,
 * failing since …). The hub words the message for the reader: members read what it means for
 * them, staff read the error and its fix. Times are in the location's zone.
 */
import { Badge, Notice } from '../../components/Notice';
import type { KisiConfirmation } from '../../gen/KisiConfirmation';
import { formatMoment } from '../../time/format';

/** "Kisi failing since 14:05": the title of a failing status, in the location's zone. */
export function failingSince(kisi: KisiConfirmation, zone: string, now: Date): string {
  return kisi.failing_since ? `Kisi failing since ${formatMoment(kisi.failing_since, zone, now)}` : 'Kisi failing';
}

/** A notice above the doors when Kisi has not confirmed them; nothing when it has. */
export function KisiConfirmationNotice({ kisi, zone, now }: { kisi: KisiConfirmation; zone: string; now: Date }) {
  if (kisi.state === 'confirmed') return null;
  if (kisi.state === 'pending') {
    return (
      <Notice tone="info" title="Not confirmed by Kisi yet">
        <p>{kisi.message || 'Kisi has not confirmed this yet.'}</p>
      </Notice>
    );
  }
  return (
    <Notice tone="warning" title={failingSince(kisi, zone, now)}>
      <p>{kisi.message}</p>
    </Notice>
  );
}

/** The per-door badge on the staff view: "works" only once Kisi confirmed it. */
export function KisiConfirmationBadge({ kisi, zone, now }: { kisi: KisiConfirmation; zone: string; now: Date }) {
  switch (kisi.state) {
    case 'confirmed':
      return <Badge tone="success">works</Badge>;
    case 'pending':
      return <Badge tone="info">not confirmed by Kisi yet</Badge>;
    case 'failing':
      return <Badge tone="warning">{failingSince(kisi, zone, now)}</Badge>;
  }
}
