/**
 * The items of one subscription: what each sells and the door access it gives (inherited, M1/M2/M4,
 * or overridden on the item, M3), adding an item and removing one (its access ends with it).
 */
import { useState, type FormEvent } from 'react';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { useAction, useKisiDirectory, usePlans, useProducts, useResources } from '../../../api/hooks';
import { Button } from '../../../components/Button';
import { Dialog, DialogActions } from '../../../components/Dialog';
import { DoorAccessPicker } from '../../../components/DoorAccessPicker';
import { describeDoorAccess, doorAccessWarnings } from '../../../components/doorAccessWarnings';
import { CheckboxField, SelectField } from '../../../components/Field';
import { Badge, Notice } from '../../../components/Notice';
import { Loading } from '../../../components/Progress';
import { useForm } from '../../../components/useForm';
import type { DoorAccess } from '../../../gen/DoorAccess';
import type { ItemRef } from '../../../gen/ItemRef';
import type { SubscriptionItemView } from '../../../gen/SubscriptionItemView';
import type { SubscriptionView } from '../../../gen/SubscriptionView';
import { itemChoices, itemName, itemRefOf, soldRecord, subscriptionTitle, type ItemCatalog } from './subscriptionItems';

const invalidates = ['subscriptions', 'access'];

/** The location's plans, resources and products, as far as they have loaded. */
export function useItemCatalog(locationId: number): ItemCatalog {
  const plans = usePlans(locationId);
  const resources = useResources(locationId);
  const products = useProducts(locationId);
  return { plans: plans.data, resources: resources.data, products: products.data };
}

export function SubscriptionItems({ subscription }: { subscription: SubscriptionView }) {
  const catalog = useItemCatalog(subscription.location_id);
  const [adding, setAdding] = useState(false);
  const active = !subscription.cancelled_at;
  return (
    <div className="stack">
      <h3>Items</h3>
      {subscription.items.length === 0 && <p className="muted">No items: this subscription gives no door access.</p>}
      <ul
        className="stack"
        style={{ listStyle: 'none', padding: 0, margin: 0 }}
        aria-label={`Items of ${subscriptionTitle(subscription, catalog)}`}
      >
        {subscription.items.map((item) => (
          <ItemRow key={item.id} subscription={subscription} item={item} catalog={catalog} />
        ))}
      </ul>
      {active && !adding && (
        <div className="row">
          <Button onClick={() => setAdding(true)}>Add item…</Button>
        </div>
      )}
      {adding && <AddItemForm subscription={subscription} catalog={catalog} onClose={() => setAdding(false)} />}
    </div>
  );
}

function ItemRow({
  subscription,
  item,
  catalog,
}: {
  subscription: SubscriptionView;
  item: SubscriptionItemView;
  catalog: ItemCatalog;
}) {
  const api = useApi();
  const kisi = useKisiDirectory(subscription.location_id);
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [draft, setDraft] = useState<DoorAccess>(item.access_override ?? { groups: [], locks: [] });
  const save = useAction(
    (access: DoorAccess | null) =>
      api.subscriptions.setItemOverride(subscription.id, item.id, { access_override: access }),
    { invalidates, done: 'Access changed; it takes effect immediately', onDone: () => setEditing(false) },
  );
  const remove = useAction(() => api.subscriptions.removeItem(subscription.id, item.id), {
    invalidates,
    done: `${itemName(item.sells, catalog)} removed; its door access ends now`,
    onDone: () => setRemoving(false),
    quiet: true,
  });
  const sold = item.sells;
  const name = itemName(sold, catalog);
  const effective = item.access_override ?? soldRecord(sold, catalog)?.door_access;
  const warnings = effective && kisi.data ? doorAccessWarnings(effective, kisi.data) : [];
  const active = !subscription.cancelled_at;
  return (
    <li className="notice">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <span>
          <strong>{name}</strong> — access: {describeDoorAccess(effective, kisi.data)}{' '}
          {item.access_override ? <Badge>overridden on this item</Badge> : <Badge tone="neutral">inherited</Badge>}
        </span>
        {active && (
          <span className="row">
            <Button size="small" onClick={() => setEditing(true)} aria-label={`Change access of ${name}`}>
              Change access…
            </Button>
            <Button size="small" variant="danger" onClick={() => setRemoving(true)} aria-label={`Remove ${name}`}>
              Remove…
            </Button>
          </span>
        )}
      </div>
      {warnings.map((w) => (
        <p key={w} className="problem">
          {w}
        </p>
      ))}
      <Dialog open={editing} title={`Access of ${name}`} onClose={() => setEditing(false)}>
        {kisi.data ? (
          <DoorAccessPicker directory={kisi.data} value={draft} onChange={setDraft} legend="Access of this item" />
        ) : (
          <Loading what="Kisi groups" />
        )}
        <p className="muted">A change to an active item takes effect immediately (M3).</p>
        <DialogActions>
          {item.access_override && (
            <Button onClick={() => save.mutate(null)} busy={save.isPending}>
              Inherit again
            </Button>
          )}
          <Button onClick={() => setEditing(false)}>Close</Button>
          <Button variant="primary" onClick={() => save.mutate(draft)} busy={save.isPending}>
            Save
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog
        open={removing}
        title={`Remove ${name}?`}
        onClose={() => {
          setRemoving(false);
          remove.reset();
        }}
      >
        <p>
          The door access this item gives ends now, for everyone the subscription reaches. The rest of subscription{' '}
          {subscription.id} stays as it is.
        </p>
        {remove.error && <Notice tone="danger">{describeError(remove.error)}</Notice>}
        <DialogActions>
          <Button onClick={() => setRemoving(false)}>Keep it</Button>
          <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate(undefined)}>
            Remove item
          </Button>
        </DialogActions>
      </Dialog>
    </li>
  );
}

interface NewItemValues {
  sells: string;
  /** M3: null inherits the door access of what the item sells. */
  access_override: DoorAccess | null;
}

/** A new item sells a plan, a resource rental or a service; its own door access is optional (M3). */
function AddItemForm({
  subscription,
  catalog,
  onClose,
}: {
  subscription: SubscriptionView;
  catalog: ItemCatalog;
  onClose: () => void;
}) {
  const api = useApi();
  const kisi = useKisiDirectory(subscription.location_id);
  const form = useForm<NewItemValues>({ sells: '', access_override: null }, (v) => ({
    sells: itemRefOf(v.sells) ? undefined : 'Pick a plan, a resource to rent or a service.',
  }));
  const [failure, setFailure] = useState<string>();
  const add = useAction(
    (sells: ItemRef) =>
      api.subscriptions.addItem(subscription.id, { sells, access_override: form.values.access_override }),
    {
      invalidates,
      done: 'Item added; its door access follows the subscription’s dates',
      onDone: onClose,
      quiet: true,
    },
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const sells = itemRefOf(form.values.sells);
    if (!form.touchAll() || !sells) return;
    setFailure(undefined);
    add.mutate(sells, { onError: (error) => setFailure(form.takeServerError(error)) });
  };
  const options = [{ value: '', label: 'Pick…' }, ...itemChoices(catalog)];
  const own = form.values.access_override;
  return (
    <form
      className="card form"
      onSubmit={submit}
      noValidate
      aria-label={`New item of ${subscriptionTitle(subscription, catalog)}`}
    >
      {failure && <Notice tone="danger">{failure}</Notice>}
      <SelectField
        label="Sells"
        options={options}
        value={form.values.sells}
        onChange={(e) => form.set('sells', e.target.value)}
        problem={form.problem('sells')}
        hint="The item inherits the door access of what it sells."
      />
      <CheckboxField
        label="Give this item its own door access instead"
        checked={own !== null}
        onChange={(e) => form.set('access_override', e.target.checked ? { groups: [], locks: [] } : null)}
      />
      {own !== null &&
        (kisi.data ? (
          <DoorAccessPicker
            directory={kisi.data}
            value={own}
            onChange={(value) => form.set('access_override', value)}
            legend="Door access of this item"
          />
        ) : (
          <Loading what="Kisi groups" />
        ))}
      {form.problem('access_override') && (
        <p className="problem" role="alert">
          {form.problem('access_override')}
        </p>
      )}
      <div className="row">
        <Button type="submit" variant="primary" busy={add.isPending}>
          Add item
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </form>
  );
}
