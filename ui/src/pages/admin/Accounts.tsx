/**
 * Who may sign in, for admins: each account's role, disabling and enabling it, ending its
 * sessions; the invitations not yet used, with withdraw; and the history of who did what. The hub
 * refuses to demote or disable the last admin; its words show at the field.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/context';
import { ApiError, describeError } from '../../api/errors';
import { useAction } from '../../api/hooks';
import { queryKeys } from '../../api/queries';
import { useAccount } from '../../app/auth';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { SelectField } from '../../components/Field';
import { Badge, Notice } from '../../components/Notice';
import { Loading } from '../../components/Progress';
import { Table } from '../../components/Table';
import type { AccountEventView } from '../../gen/AccountEventView';
import type { AccountSummaryView } from '../../gen/AccountSummaryView';
import type { PendingInvitationView } from '../../gen/PendingInvitationView';
import type { Role } from '../../gen/Role';
import { formatTimestamp } from '../../time/format';
import { zoneName } from '../../time/locationZone';
import { useDisplayZone } from '../../app/location';

const ROLES: { value: Role; label: string }[] = [
  { value: 'member', label: 'Member' },
  { value: 'staff', label: 'Staff' },
  { value: 'admin', label: 'Admin' },
];

/** The hub's problem with `field`, if it named one. */
const problemAt = (error: unknown, field: string) =>
  error instanceof ApiError ? error.fields.find((f) => f.field === field)?.problem : undefined;

export function Accounts() {
  return (
    <div className="stack">
      <AccountList />
      <PendingInvitations />
      <AccountHistory />
    </div>
  );
}

function AccountList() {
  const api = useApi();
  const accounts = useQuery({ queryKey: queryKeys.accounts(), queryFn: () => api.accounts.list() });
  return (
    <Card title="Accounts" labelId="accounts">
      {accounts.isPending && <Loading what="the accounts" />}
      {accounts.error && <Notice tone="danger">{describeError(accounts.error)}</Notice>}
      {accounts.data && (
        <ul className="stack" aria-labelledby="accounts" style={{ listStyle: 'none', padding: 0 }}>
          {accounts.data.map((account) => (
            <AccountItem key={account.id} account={account} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function AccountItem({ account }: { account: AccountSummaryView }) {
  const api = useApi();
  const me = useAccount();
  const zone = useDisplayZone();
  const [roleProblem, setRoleProblem] = useState<string>();
  const [stateProblem, setStateProblem] = useState<string>();
  const refresh = { invalidates: ['accounts'] };
  const setRole = useAction((role: Role) => api.accounts.setRole(account.id, role), {
    ...refresh,
    quiet: true,
    done: (a) => `${a.email} is now ${a.role}`,
  });
  const toggle = useAction(
    () => (account.disabled_at ? api.accounts.enable(account.id) : api.accounts.disable(account.id)),
    {
      ...refresh,
      quiet: true,
      done: (a) => `${a.email} is ${a.disabled_at ? 'disabled' : 'enabled'}`,
    },
  );
  const endSessions = useAction(() => api.accounts.endSessions(account.id), { ...refresh, done: (d) => d.message });
  const fail = (set: (problem: string) => void) => (error: unknown) =>
    set(problemAt(error, 'role') ?? problemAt(error, 'disabled') ?? describeError(error));
  return (
    <li className="card stack" aria-label={account.email}>
      <div className="row" style={{ flexWrap: 'wrap', gap: '0.5rem' }}>
        <strong style={{ overflowWrap: 'anywhere' }}>{account.email}</strong>
        {account.id === me.id && <Badge>you</Badge>}
        {account.disabled_at && <Badge tone="danger">disabled</Badge>}
      </div>
      <p className="muted">
        {account.last_sign_in_at
          ? `Last signed in ${formatTimestamp(account.last_sign_in_at, zone)} (${zoneName(zone)})`
          : 'Never signed in'}
      </p>
      <SelectField
        label={`Role of ${account.email}`}
        value={account.role}
        disabled={setRole.isPending}
        problem={roleProblem}
        onChange={(e) => {
          setRoleProblem(undefined);
          setRole.mutate(e.target.value as Role, { onError: fail(setRoleProblem) });
        }}
        options={ROLES}
      />
      {stateProblem && <Notice tone="danger">{stateProblem}</Notice>}
      <div className="row" style={{ flexWrap: 'wrap', gap: '0.5rem' }}>
        <Button
          size="small"
          variant={account.disabled_at ? 'secondary' : 'danger'}
          busy={toggle.isPending}
          onClick={() => {
            setStateProblem(undefined);
            toggle.mutate(undefined, { onError: fail(setStateProblem) });
          }}
        >
          {account.disabled_at ? 'Enable' : 'Disable'}
        </Button>
        <Button size="small" busy={endSessions.isPending} onClick={() => endSessions.mutate(undefined)}>
          End sessions
        </Button>
      </div>
    </li>
  );
}

function PendingInvitations() {
  const api = useApi();
  const zone = useDisplayZone();
  const pending = useQuery({
    queryKey: queryKeys.pendingInvitations(),
    queryFn: () => api.accounts.pendingInvitations(),
  });
  const withdraw = useAction((id: number) => api.accounts.withdrawInvitation(id), {
    invalidates: ['accounts'],
    done: 'Invitation withdrawn: its link no longer works',
  });
  return (
    <Card title="Pending invitations" labelId="pending-invitations">
      {pending.isPending && <Loading what="the invitations" />}
      {pending.error && <Notice tone="danger">{describeError(pending.error)}</Notice>}
      {pending.data && (
        <Table<PendingInvitationView>
          caption={`Invitations not used yet (times in ${zoneName(zone)})`}
          rows={pending.data}
          rowKey={(i) => i.id}
          empty="None."
          columns={[
            { header: 'E-mail', cell: (i) => i.email },
            { header: 'Role', cell: (i) => i.role },
            { header: 'Expires', cell: (i) => formatTimestamp(i.expires_at, zone) },
            {
              header: 'Actions',
              hideHeader: true,
              cell: (i) => (
                <Button
                  size="small"
                  variant="danger"
                  aria-label={`Withdraw the invitation of ${i.email}`}
                  onClick={() => withdraw.mutate(i.id)}
                >
                  Withdraw
                </Button>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}

function AccountHistory() {
  const api = useApi();
  const zone = useDisplayZone();
  const history = useQuery({ queryKey: queryKeys.accountHistory(), queryFn: () => api.accounts.history() });
  return (
    <Card title="Account history" labelId="account-history">
      {history.isPending && <Loading what="the account history" />}
      {history.error && <Notice tone="danger">{describeError(history.error)}</Notice>}
      {history.data && (
        <Table<AccountEventView>
          caption={`Who did what, newest first (times in ${zoneName(zone)})`}
          rows={history.data}
          rowKey={(e) => e.id}
          empty="Nothing yet."
          columns={[
            { header: 'When', cell: (e) => formatTimestamp(e.at, zone) },
            { header: 'Who', cell: (e) => e.actor_email ?? 'the hub' },
            { header: 'What', cell: (e) => [e.action, e.detail].filter(Boolean).join(' ') },
            { header: 'Account', cell: (e) => e.subject_email },
          ]}
        />
      )}
    </Card>
  );
}
