/**
 * "How will you use Doorlink on this computer?": the front desk (the hub runs inside the app) or
 * signed in to a hub elsewhere, by its address. The form checks the address's shape; the app then
 * checks that a Doorlink hub answers there and the screen says which of the two failed.
 */
import { useState, type FormEvent } from 'react';
import type { DesktopCommands, DesktopMode, DesktopStatus } from '../../api/desktopTransport';
import { Button } from '../../components/Button';
import { TextField } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { useForm } from '../../components/useForm';
import { hubAddressProblem } from './words';

interface Values {
  kind: DesktopMode['kind'];
  url: string;
}

const validate = (v: Values) => ({
  url: v.kind === 'remote_hub' ? hubAddressProblem(v.url) : undefined,
});

export interface ChooseModeProps {
  desktop: DesktopCommands;
  current: DesktopMode | null;
  onChosen: (status: DesktopStatus) => void;
  /** Offered when a mode is already chosen (settings, "use another hub"). */
  onCancel?: () => void;
  /** Said under the question, e.g. that changing signs out. */
  note?: string;
}

export function ChooseMode({ desktop, current, onChosen, onCancel, note }: ChooseModeProps) {
  const form = useForm<Values>(
    { kind: current?.kind ?? 'remote_hub', url: current?.kind === 'remote_hub' ? current.url : '' },
    validate,
  );
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const remote = form.values.kind === 'remote_hub';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.touchAll()) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const mode: DesktopMode = remote ? { kind: 'remote_hub', url: form.values.url.trim() } : { kind: 'front_desk' };
      onChosen(await desktop.chooseMode(mode));
    } catch (error) {
      setFailure(form.takeServerError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="choose-mode-title" data-testid="choose-mode">
      <fieldset className="field">
        <legend id="choose-mode-title">
          <strong>How will you use Doorlink on this computer?</strong>
        </legend>
        {note && <p className="muted">{note}</p>}
        <div className="check">
          <input
            type="radio"
            id="mode-front-desk"
            name="mode"
            checked={!remote}
            onChange={() => form.set('kind', 'front_desk')}
          />
          <label htmlFor="mode-front-desk">
            This computer is the front desk
            <span className="hint" style={{ fontWeight: 'normal' }}>
              {' '}
              — Doorlink’s hub runs inside this app and keeps its data on this computer.
            </span>
          </label>
        </div>
        <div className="check">
          <input
            type="radio"
            id="mode-remote-hub"
            name="mode"
            checked={remote}
            onChange={() => form.set('kind', 'remote_hub')}
          />
          <label htmlFor="mode-remote-hub">
            Sign in to a hub
            <span className="hint" style={{ fontWeight: 'normal' }}>
              {' '}
              — as a member, staff or admin of a space that runs Doorlink.
            </span>
          </label>
        </div>
      </fieldset>
      {remote && (
        <TextField
          label="Hub address"
          type="url"
          name="hub-url"
          inputMode="url"
          autoComplete="url"
          placeholder="https://doorlink.example.com"
          value={form.values.url}
          onChange={(e) => form.set('url', e.target.value)}
          problem={form.problem('url')}
          hint="The address your space gave you. Doorlink checks that its hub answers there."
        />
      )}
      {failure && <Notice tone="danger">{failure}</Notice>}
      <div className="row">
        <Button type="submit" variant="primary" busy={busy}>
          Continue
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
