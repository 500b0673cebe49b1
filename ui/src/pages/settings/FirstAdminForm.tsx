/**
 * The front desk on a fresh computer: its own hub has no account yet, so the first admin is made
 * here (name, e-mail, the password twice, the hub's password rule shown and checked at the field),
 * through the app — never an HTTP route — and then signed in like anyone else.
 */
import { useState, type FormEvent } from 'react';
import type { DesktopCommands, FrontDeskSetup } from '../../api/desktopTransport';
import { useAuth } from '../../app/auth';
import { Button } from '../../components/Button';
import { TextField } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { useForm } from '../../components/useForm';
import { passwordRuleInWords } from './words';

interface Values {
  name: string;
  email: string;
  password: string;
  repeat: string;
}

export interface FirstAdminFormProps {
  desktop: DesktopCommands;
  rule: FrontDeskSetup['password_rule'];
  /** Called once the account exists (before sign-in), so the screen stops asking for it. */
  onCreated: () => void;
}

export function FirstAdminForm({ desktop, rule, onCreated }: FirstAdminFormProps) {
  const { signIn } = useAuth();
  const validate = (v: Values) => {
    const chars = [...v.password].length;
    return {
      name: v.name.trim() ? undefined : 'Enter your name.',
      email: /^[^@\s]+@[^@\s]+$/.test(v.email.trim()) ? undefined : 'Enter an e-mail address, such as ada@example.com.',
      password:
        chars < rule.min_chars
          ? `Use at least ${rule.min_chars} characters (this has ${chars}).`
          : chars > rule.max_chars
            ? `Use at most ${rule.max_chars} characters.`
            : undefined,
      repeat: v.repeat === v.password ? undefined : 'This does not match the password above.',
    };
  };
  const form = useForm<Values>({ name: '', email: '', password: '', repeat: '' }, validate);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.touchAll()) return;
    setBusy(true);
    setFailure(undefined);
    const email = form.values.email.trim();
    try {
      await desktop.createFirstAdmin({ name: form.values.name.trim(), email, password: form.values.password });
    } catch (error) {
      setFailure(form.takeServerError(error));
      setBusy(false);
      return;
    }
    onCreated();
    // The sign-in screen takes over if this fails: the account exists now.
    await signIn({ email, password: form.values.password }).catch(() => undefined);
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="first-admin-title" data-testid="first-admin">
      <h1 id="first-admin-title">Create the first admin</h1>
      <p className="muted">
        This computer’s hub has no accounts yet. The first one is its admin: you, at this computer. Everyone else is
        invited from inside Doorlink.
      </p>
      {failure && <Notice tone="danger">{failure}</Notice>}
      <TextField
        label="Your name"
        name="name"
        autoComplete="name"
        value={form.values.name}
        onChange={(e) => form.set('name', e.target.value)}
        problem={form.problem('name')}
      />
      <TextField
        label="E-mail"
        name="email"
        type="email"
        autoComplete="username"
        value={form.values.email}
        onChange={(e) => form.set('email', e.target.value)}
        problem={form.problem('email')}
        hint="You sign in with it."
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        value={form.values.password}
        onChange={(e) => form.set('password', e.target.value)}
        problem={form.problem('password')}
        hint={passwordRuleInWords(rule)}
      />
      <TextField
        label="Password again"
        name="repeat"
        type="password"
        autoComplete="new-password"
        value={form.values.repeat}
        onChange={(e) => form.set('repeat', e.target.value)}
        problem={form.problem('repeat')}
      />
      <Button type="submit" variant="primary" busy={busy}>
        Create and sign in
      </Button>
    </form>
  );
}
