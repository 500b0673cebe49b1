/**
 * R5: who a company subscription reaches. Empty = every member of the company, for as long as they
 * are a member; otherwise only the people ticked, and only while they are members.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../../api/context';
import { ApiError, describeError } from '../../../api/errors';
import { useAction } from '../../../api/hooks';
import { queryKeys } from '../../../api/queries';
import { Button } from '../../../components/Button';
import { Dialog, DialogActions } from '../../../components/Dialog';
import { CheckboxField } from '../../../components/Field';
import { Notice } from '../../../components/Notice';
import { Loading } from '../../../components/Progress';
import type { SubscriptionView } from '../../../gen/SubscriptionView';
import { useNow } from '../../../hooks/useNow';
import { useItemCatalog } from './SubscriptionItems';
import { beneficiaryChoices, beneficiarySummary, currentMemberIds, subscriptionTitle } from './subscriptionItems';

export function Beneficiaries({ subscription, companyId }: { subscription: SubscriptionView; companyId: number }) {
  const api = useApi();
  const now = useNow();
  const catalog = useItemCatalog(subscription.location_id);
  const members = useQuery({
    queryKey: queryKeys.companyMembers(companyId),
    queryFn: () => api.companies.members(companyId),
  });
  const memberIds = currentMemberIds(members.data ?? [], now);
  const shown = beneficiaryChoices(memberIds, subscription.beneficiaries);
  const people = useQueries({
    queries: shown.map(({ personId }) => ({
      queryKey: queryKeys.person(personId),
      queryFn: () => api.people.get(personId),
    })),
  });
  const nameOf = (id: number) => people.find((q) => q.data?.id === id)?.data?.name ?? '…';
  const [editing, setEditing] = useState(false);
  const [picked, setPicked] = useState<number[]>(subscription.beneficiaries);
  const save = useAction(() => api.subscriptions.setBeneficiaries(subscription.id, { beneficiaries: picked }), {
    invalidates: ['subscriptions', 'access'],
    done:
      picked.length === 0
        ? 'Every member of the company gets its access now'
        : 'Beneficiaries saved; access follows at once',
    onDone: () => setEditing(false),
    quiet: true,
  });
  const open = () => {
    setPicked(subscription.beneficiaries);
    save.reset();
    setEditing(true);
  };
  // The hub's field error sits with the ticks it is about.
  const problem = save.error instanceof ApiError ? save.error.fieldProblem('beneficiaries') : undefined;
  const toggle = (id: number, on: boolean) =>
    setPicked((current) => (on ? [...current, id] : current.filter((x) => x !== id)));

  return (
    <div className="stack">
      <h3>Beneficiaries</h3>
      {members.error && <Notice tone="danger">{describeError(members.error)}</Notice>}
      {members.isPending ? (
        <Loading what="the company’s members" />
      ) : (
        <p>{beneficiarySummary(subscription.beneficiaries, memberIds, nameOf)}</p>
      )}
      {!subscription.cancelled_at && (
        <div className="row">
          <Button onClick={open} disabled={members.isPending}>
            Change beneficiaries…
          </Button>
        </div>
      )}
      <Dialog
        open={editing}
        title={`Beneficiaries of ${subscriptionTitle(subscription, catalog)}`}
        onClose={() => setEditing(false)}
      >
        <fieldset className="field">
          <legend>Who gets this subscription’s door access</legend>
          <p className="hint" id={`beneficiaries-${subscription.id}-hint`}>
            {picked.length === 0
              ? 'None ticked: every member of the company gets access, and anyone who joins gets it at once.'
              : `Only the ${picked.length === 1 ? 'person' : `${picked.length} people`} ticked, while they are members.`}
          </p>
          {shown.length === 0 && <p className="muted">The company has no members now.</p>}
          {shown.map(({ personId, member }) => (
            <CheckboxField
              key={personId}
              label={member ? nameOf(personId) : `${nameOf(personId)} (left the company)`}
              checked={picked.includes(personId)}
              onChange={(e) => toggle(personId, e.target.checked)}
            />
          ))}
          {problem && (
            <span className="problem" role="alert">
              {problem}
            </span>
          )}
        </fieldset>
        {save.error && !problem && <Notice tone="danger">{describeError(save.error)}</Notice>}
        <DialogActions>
          {picked.length > 0 && <Button onClick={() => setPicked([])}>Every member</Button>}
          <Button onClick={() => setEditing(false)}>Cancel</Button>
          <Button variant="primary" busy={save.isPending} onClick={() => save.mutate(undefined)}>
            Save beneficiaries
          </Button>
        </DialogActions>
      </Dialog>
    </div>
  );
}
