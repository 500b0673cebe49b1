/** The invited person sets a password and is signed in. */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { useApi } from '../api/context';
import { Button } from '../components/Button';
import { TextField } from '../components/Field';
import { Notice } from '../components/Notice';
import { useForm } from '../components/useForm';
import { switchAccount } from './auth';

export const MIN_PASSWORD = 10;

interface Values {
  token: string;
  password: string;
  repeat: string;
}

const validate = (v: Values) => ({
  token: v.token.trim() ? undefined : 'Paste the invitation code you were given.',
  password: v.password.length >= MIN_PASSWORD ? undefined : `Use at least ${MIN_PASSWORD} characters.`,
  repeat: v.repeat === v.password ? undefined : 'The two passwords differ.',
});

export function RedeemInvitationPage() {
  const api = useApi();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const form = useForm<Values>({ token: params.get('token') ?? '', password: '', repeat: '' }, validate);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  if (done) return <Navigate to="/" replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.touchAll()) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const session = await api.session.redeem({ token: form.values.token.trim(), password: form.values.password });
      switchAccount(client, session.account);
      setDone(true);
    } catch (error) {
      setFailure(form.takeServerError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main">
      <form
        className="card form"
        onSubmit={submit}
        noValidate
        aria-labelledby="redeem-title"
        style={{ maxWidth: 460, margin: '10vh auto' }}
      >
        <h1 id="redeem-title">Welcome to Doorlink</h1>
        <p className="muted">Choose a password to finish your invitation.</p>
        {failure && <Notice tone="danger">{failure}</Notice>}
        {!params.get('token') && (
          <TextField
            label="Invitation code"
            value={form.values.token}
            onChange={(e) => form.set('token', e.target.value)}
            problem={form.problem('token')}
          />
        )}
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          value={form.values.password}
          onChange={(e) => form.set('password', e.target.value)}
          problem={form.problem('password')}
          hint={`At least ${MIN_PASSWORD} characters.`}
        />
        <TextField
          label="Password again"
          type="password"
          autoComplete="new-password"
          value={form.values.repeat}
          onChange={(e) => form.set('repeat', e.target.value)}
          problem={form.problem('repeat')}
        />
        <Button type="submit" variant="primary" busy={busy}>
          Set password and sign in
        </Button>
      </form>
    </main>
  );
}
