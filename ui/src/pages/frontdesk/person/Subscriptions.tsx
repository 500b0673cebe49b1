/**
 * Subscriptions of a person or company: items with their door access and per-item override (M3),
 * beneficiaries (R5), end date (R2) and cancellation (R3), and a new subscription.
 */
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { useAction, usePlans, useProducts, useResources } from '../../../api/hooks';
import { queryKeys } from '../../../api/queries';
import { useCurrentLocation } from '../../../app/location';
import { Button } from '../../../components/Button';
import { Card } from '../../../components/Card';
import { Dialog, DialogActions } from '../../../components/Dialog';
import { DateTimeField, SelectField, TextField } from '../../../components/Field';
import { Badge, Notice } from '../../../components/Notice';
import { Loading } from '../../../components/Progress';
import { useForm } from '../../../components/useForm';
import type { HolderRef } from '../../../gen/HolderRef';
import type { PaymentStatus } from '../../../gen/PaymentStatus';
import type { SubscriptionView } from '../../../gen/SubscriptionView';
import { formatTimestamp } from '../../../time/format';
import { instantOfWallClock, parseWallClock, toDateInput } from '../../../time/zoned';
import { Beneficiaries } from './Beneficiaries';
import { SubscriptionItems, useItemCatalog } from './SubscriptionItems';
import { itemChoices, itemRefOf, subscriptionTitle } from './subscriptionItems';

/** Where a subscription stands on `today` (a date in the location's zone). */
export function subscriptionStatus(
  s: SubscriptionView,
  today: string,
  now: Date,
): { label: string; tone: 'success' | 'neutral' | 'info' | 'danger' } {
  if (s.cancelled_at && new Date(s.cancelled_at) <= now) return { label: 'Cancelled', tone: 'danger' };
  if (s.start > today) return { label: `Starts ${s.start}`, tone: 'info' };
  if (s.end && s.end < today) return { label: `Ended ${s.end}`, tone: 'neutral' };
  return { label: s.end ? `Active until end of ${s.end}` : 'Active, no end date', tone: 'success' };
}

export function Subscriptions({ holder }: { holder: HolderRef }) {
  const api = useApi();
  const { location } = useCurrentLocation();
  const subscriptions = useQuery({
    queryKey: queryKeys.subscriptions(holder),
    queryFn: () =>
      holder.kind === 'person' ? api.subscriptions.ofPerson(holder.id) : api.subscriptions.ofCompany(holder.id),
  });
  const [adding, setAdding] = useState(false);
  if (!location) return <Notice tone="info">Create a location first.</Notice>;
  if (subscriptions.isPending) return <Loading what="subscriptions" />;
  if (subscriptions.error) return <Notice tone="danger">{describeError(subscriptions.error)}</Notice>;

  return (
    <div className="stack">
      <div className="row">
        <Button onClick={() => setAdding((a) => !a)}>{adding ? 'Close' : 'New subscription'}</Button>
      </div>
      {adding && (
        <NewSubscription
          holder={holder}
          locationId={location.id}
          zone={location.time_zone}
          onDone={() => setAdding(false)}
        />
      )}
      {subscriptions.data.length === 0 && <p className="muted">No subscriptions.</p>}
      {subscriptions.data.map((s) => (
        <SubscriptionCard key={s.id} subscription={s} zone={location.time_zone} />
      ))}
    </div>
  );
}

function SubscriptionCard({ subscription: s, zone }: { subscription: SubscriptionView; zone: string }) {
  const api = useApi();
  const catalog = useItemCatalog(s.location_id);
  const now = new Date();
  const status = subscriptionStatus(s, toDateInput(now, zone), now);
  const [end, setEnd] = useState(s.end ?? '');
  const [cancelling, setCancelling] = useState(false);
  const [cancelAt, setCancelAt] = useState('');
  const options = { invalidates: ['subscriptions', 'access'] };
  const setEndAction = useAction(() => api.subscriptions.setEnd(s.id, { end: end || null }), {
    ...options,
    done: end ? `Ends at the end of ${end}` : 'No end date',
  });
  const cancel = useAction(
    () => {
      const wall = parseWallClock(cancelAt);
      return api.subscriptions.cancel(s.id, { at: wall ? instantOfWallClock(wall, zone).toISOString() : null });
    },
    { ...options, done: 'Subscription cancelled', onDone: () => setCancelling(false) },
  );
  const active = !s.cancelled_at;
  // Named by what it sells and since when, never by its id (issue 17 point 5).
  const title = subscriptionTitle(s, catalog);
  return (
    <Card title={title} labelId={`subscription-${s.id}`} actions={<Badge tone={status.tone}>{status.label}</Badge>}>
      <div className="stack">
        <p className="muted">
          From {s.start} {s.end ? `to ${s.end} (last day included)` : 'with no end date'} · payment {s.payment_status}{' '}
          (access does not depend on it)
          {s.cancelled_at && ` · cancelled ${formatTimestamp(s.cancelled_at, zone)}`}
        </p>
        <SubscriptionItems subscription={s} />
        {s.holder.kind === 'company' && <Beneficiaries subscription={s} companyId={s.holder.id} />}
        {active && (
          <div className="row">
            <TextField
              label="Last day"
              type="date"
              value={end}
              onChange={(e) => setEnd(e.target.value)}
              hint="Empty = no end date."
            />
            <Button
              onClick={() => setEndAction.mutate(undefined)}
              busy={setEndAction.isPending}
              disabled={end === (s.end ?? '')}
            >
              Save end date
            </Button>
            <Button variant="danger" onClick={() => setCancelling(true)}>
              Cancel…
            </Button>
          </div>
        )}
      </div>
      <Dialog open={cancelling} title={`Cancel ${title}`} onClose={() => setCancelling(false)}>
        <p>Cancelling revokes its door access at the moment of cancellation, or at the time you pick.</p>
        <DateTimeField label={`Cancel at (${zone})`} value={cancelAt} onChange={setCancelAt} hint="Empty = now." />
        <DialogActions>
          <Button onClick={() => setCancelling(false)}>Keep it</Button>
          <Button variant="danger" busy={cancel.isPending} onClick={() => cancel.mutate(undefined)}>
            Cancel subscription
          </Button>
        </DialogActions>
      </Dialog>
    </Card>
  );
}

interface NewSubscriptionValues {
  start: string;
  end: string;
  item: string;
  payment: PaymentStatus;
}

function NewSubscription({
  holder,
  locationId,
  zone,
  onDone,
}: {
  holder: HolderRef;
  locationId: number;
  zone: string;
  onDone: () => void;
}) {
  const api = useApi();
  const plans = usePlans(locationId);
  const resources = useResources(locationId);
  const products = useProducts(locationId);
  const form = useForm<NewSubscriptionValues>(
    { start: toDateInput(new Date(), zone), end: '', item: '', payment: 'paid' },
    (v) => ({
      start: v.start ? undefined : 'Pick the first day.',
      end: v.end && v.end < v.start ? 'The last day cannot be before the first.' : undefined,
      item: itemRefOf(v.item) ? undefined : 'Pick a plan, a resource to rent or a service.',
    }),
  );
  const [failure, setFailure] = useState<string>();
  const create = useAction(api.subscriptions.create, {
    done: 'Subscription created',
    invalidates: ['subscriptions', 'access'],
    onDone,
    quiet: true,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const sells = itemRefOf(form.values.item);
    if (!form.touchAll() || !sells) return;
    setFailure(undefined);
    create.mutate(
      {
        location_id: locationId,
        holder,
        start: form.values.start,
        end: form.values.end || null,
        items: [{ sells, access_override: null }],
        beneficiaries: [],
        payment_status: form.values.payment,
      },
      { onError: (error) => setFailure(form.takeServerError(error)) },
    );
  };
  const itemOptions = [
    { value: '', label: 'Pick…' },
    ...itemChoices({ plans: plans.data, resources: resources.data, products: products.data }),
  ];
  return (
    <form className="card form" onSubmit={submit} noValidate aria-label="New subscription">
      {failure && <Notice tone="danger">{failure}</Notice>}
      <div className="form-row">
        <SelectField
          label="Sells"
          options={itemOptions}
          value={form.values.item}
          onChange={(e) => form.set('item', e.target.value)}
          problem={form.problem('item')}
        />
        <TextField
          label="First day"
          type="date"
          value={form.values.start}
          onChange={(e) => form.set('start', e.target.value)}
          problem={form.problem('start')}
          hint="Access from 00:00 that day."
        />
        <TextField
          label="Last day"
          type="date"
          value={form.values.end}
          onChange={(e) => form.set('end', e.target.value)}
          problem={form.problem('end')}
          hint="Empty = no end date."
        />
        <SelectField
          label="Payment"
          value={form.values.payment}
          onChange={(e) => form.set('payment', e.target.value as PaymentStatus)}
          options={[
            { value: 'paid', label: 'Paid' },
            { value: 'unpaid', label: 'Unpaid' },
            { value: 'overdue', label: 'Overdue' },
          ]}
          hint="Shown only: access never depends on payment."
        />
      </div>
      <Button type="submit" variant="primary" busy={create.isPending}>
        Create subscription
      </Button>
    </form>
  );
}
