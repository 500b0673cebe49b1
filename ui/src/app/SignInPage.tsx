import { useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Button } from '../components/Button';
import { TextField } from '../components/Field';
import { Notice } from '../components/Notice';
import { useForm } from '../components/useForm';
import { useAuth } from './auth';

interface Credentials {
  email: string;
  password: string;
}

const validate = (v: Credentials) => ({
  email: /^[^@\s]+@[^@\s]+$/.test(v.email.trim()) ? undefined : 'Enter the e-mail address you were invited with.',
  password: v.password ? undefined : 'Enter your password.',
});

export function SignInPage() {
  const { account, sessionEnded, signIn } = useAuth();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  const form = useForm<Credentials>({ email: '', password: '' }, validate);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (account) return <Navigate to={from} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.touchAll()) return;
    setBusy(true);
    setFailure(undefined);
    try {
      await signIn({ email: form.values.email.trim(), password: form.values.password });
    } catch (error) {
      setFailure(form.takeServerError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="signin">
      <form
        className="card form"
        onSubmit={submit}
        noValidate
        aria-labelledby="signin-title"
        style={{ maxWidth: 420, margin: '10vh auto' }}
      >
        <h1 id="signin-title">Sign in to Doorlink</h1>
        {sessionEnded && !failure && <Notice tone="warning">Your session ended; sign in again.</Notice>}
        {failure && <Notice tone="danger">{failure}</Notice>}
        <TextField
          label="E-mail"
          type="email"
          autoComplete="username"
          value={form.values.email}
          onChange={(e) => form.set('email', e.target.value)}
          problem={form.problem('email')}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          value={form.values.password}
          onChange={(e) => form.set('password', e.target.value)}
          problem={form.problem('password')}
        />
        <Button type="submit" variant="primary" busy={busy}>
          Sign in
        </Button>
      </form>
    </main>
  );
}
