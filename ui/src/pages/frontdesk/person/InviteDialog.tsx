/**
 * Invites a person to sign in (there is no mail server: staff pass the link on). Staff invite
 * members; admins may also invite staff and admins.
 */
import { useState } from 'react';
import { useApi } from '../../../api/context';
import { useAction } from '../../../api/hooks';
import { hasRole, useAccount } from '../../../app/auth';
import { Button } from '../../../components/Button';
import { Dialog, DialogActions } from '../../../components/Dialog';
import { SelectField, TextField } from '../../../components/Field';
import type { InvitationView } from '../../../gen/InvitationView';
import type { PersonView } from '../../../gen/PersonView';
import type { Role } from '../../../gen/Role';
import { formatTimestamp } from '../../../time/format';
import { zoneName } from '../../../time/locationZone';
import { useDisplayZone } from '../../../app/location';

export function InviteButton({ person }: { person: PersonView }) {
  const api = useApi();
  const account = useAccount();
  const zone = useDisplayZone();
  const [open, setOpen] = useState(false);
  const [role, setRole] = useState<Role>('member');
  const [invitation, setInvitation] = useState<InvitationView>();
  const invite = useAction(() => api.session.invite({ email: person.email, role, person_id: person.id }), {
    done: 'Invitation created: pass the link on',
    onDone: setInvitation,
  });
  const link = invitation ? `${window.location.origin}/invite?token=${encodeURIComponent(invitation.token)}` : '';
  const close = () => {
    setOpen(false);
    setInvitation(undefined);
  };
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        Invite to sign in…
      </Button>
      <Dialog open={open} title={`Invite ${person.name}`} onClose={close}>
        {invitation ? (
          <div className="form">
            <p>
              Give {person.name} this link; it works once, until {formatTimestamp(invitation.expires_at, zone)} (
              {zoneName(zone)}).
            </p>
            <TextField label="Invitation link" readOnly value={link} onFocus={(e) => e.target.select()} />
            <DialogActions>
              <Button onClick={() => void navigator.clipboard?.writeText(link)}>Copy link</Button>
              <Button variant="primary" onClick={close}>
                Done
              </Button>
            </DialogActions>
          </div>
        ) : (
          <div className="form">
            <p>
              {person.name} signs in as <strong>{person.email}</strong>.
            </p>
            {hasRole(account.role, 'admin') && (
              <SelectField
                label="Role"
                value={role}
                onChange={(e) => setRole(e.target.value as Role)}
                options={[
                  { value: 'member', label: 'Member (their own Access page)' },
                  { value: 'staff', label: 'Staff (front desk)' },
                  { value: 'admin', label: 'Admin (settings too)' },
                ]}
              />
            )}
            <DialogActions>
              <Button onClick={close}>Cancel</Button>
              <Button variant="primary" busy={invite.isPending} onClick={() => invite.mutate(undefined)}>
                Create invitation
              </Button>
            </DialogActions>
          </div>
        )}
      </Dialog>
    </>
  );
}
