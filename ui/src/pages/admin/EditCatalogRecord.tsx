/**
 * The small edit dialog of a plan, resource, product or visitor policy: its name, its kind and its
 * door access (M1, M2, M4, M5), sent as one PATCH of what changed. The hub re-evaluates the people
 * it reaches when the door access changed; its field errors show next to the field.
 */
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/context';
import { useAction } from '../../api/hooks';
import { Button } from '../../components/Button';
import { Dialog, DialogActions } from '../../components/Dialog';
import { DoorAccessPicker } from '../../components/DoorAccessPicker';
import { doorAccessWarnings } from '../../components/doorAccessWarnings';
import { SelectField, TextField, type Option } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { useForm } from '../../components/useForm';
import type { KisiDirectory } from '../../gen/KisiDirectory';
import type { ProductKind } from '../../gen/ProductKind';
import type { ResourceKind } from '../../gen/ResourceKind';
import {
  changesNothing,
  changesOf,
  draftOf,
  validateDraft,
  type CatalogDraft,
  type CatalogRecord,
} from './catalogEdit';

export type CatalogFamily = 'plans' | 'resources' | 'products' | 'visitorPolicies';

/**
 * `only: 'door_access'` is the mapping page's quick path: the door access alone, saved with the
 * door-access route; otherwise every field the PATCH takes.
 */
export function EditCatalogRecord({
  family,
  singular,
  kinds,
  record,
  directory,
  onClose,
  only,
}: {
  family: CatalogFamily;
  singular: string;
  kinds?: Option[];
  record: CatalogRecord;
  directory: KisiDirectory;
  onClose: () => void;
  only?: 'door_access';
}) {
  const api = useApi();
  const form = useForm<CatalogDraft>(draftOf(record), validateDraft);
  const [failure, setFailure] = useState<string>();
  const changes = changesOf(record, form.values);
  const unchanged = changesNothing(changes);
  const save = useAction(
    () => {
      const { name, kind, door_access } = changes;
      if (only === 'door_access')
        return api.catalog[family].setDoorAccess(record.id, form.values.door_access) as Promise<CatalogRecord>;
      switch (family) {
        case 'plans':
          return api.catalog.plans.update(record.id, { name, door_access });
        case 'resources':
          return api.catalog.resources.update(record.id, { name, door_access, kind: kind as ResourceKind | null });
        case 'products':
          return api.catalog.products.update(record.id, { name, door_access, kind: kind as ProductKind | null });
        case 'visitorPolicies':
          return api.catalog.visitorPolicies.update(record.id, { name, door_access });
      }
    },
    {
      done: (saved: CatalogRecord) =>
        changes.door_access
          ? `${saved.name} saved; the people it reaches are re-evaluated and Kisi follows`
          : `${saved.name} saved`,
      invalidates: ['catalog', 'mappings', 'access', 'sync', 'subscriptions'],
      onDone: onClose,
      quiet: true,
    },
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.touchAll() || unchanged) return;
    setFailure(undefined);
    save.mutate(undefined, { onError: (error) => setFailure(form.takeServerError(error)) });
  };
  const warnings = doorAccessWarnings(form.values.door_access, directory);
  const title = only === 'door_access' ? `Door access of ${record.name}` : `Edit ${singular} ${record.name}`;
  return (
    <Dialog open title={title} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate aria-label={title}>
        {failure && <Notice tone="danger">{failure}</Notice>}
        {only !== 'door_access' && (
          <TextField
            label="Name"
            value={form.values.name}
            onChange={(e) => form.set('name', e.target.value)}
            problem={form.problem('name')}
            autoFocus
          />
        )}
        {kinds && only !== 'door_access' && (
          <SelectField
            label="Kind"
            value={form.values.kind}
            onChange={(e) => form.set('kind', e.target.value)}
            options={kinds}
            problem={form.problem('kind')}
          />
        )}
        <DoorAccessPicker
          directory={directory}
          value={form.values.door_access}
          onChange={(value) => form.set('door_access', value)}
        />
        {form.problem('door_access') && (
          <p className="problem" role="alert">
            {form.problem('door_access')}
          </p>
        )}
        {warnings.length > 0 && (
          <Notice tone="warning" title="Check these before saving:">
            <ul>
              {warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </Notice>
        )}
        {changes.door_access && <p className="hint">Everyone this {singular} reaches is re-evaluated when you save.</p>}
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={save.isPending} disabled={unchanged}>
            {only === 'door_access' ? 'Save door access' : 'Save changes'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
