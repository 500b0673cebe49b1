/**
 * A new secret, this once (Kisi's event webhook, an outcome endpoint): to copy where it is
 * needed; it is kept nowhere the page can read again, so it is gone once dismissed or left.
 */
import { useState, type ReactNode } from 'react';
import { Button } from './Button';
import { TextField } from './Field';
import { Notice } from './Notice';

export function SecretOnce({
  secret,
  label,
  doneLabel,
  onDone,
  children,
}: {
  secret: string;
  /** The field's label: what the secret is called where it is pasted. */
  label: string;
  /** The button that dismisses it ("I have pasted it"). */
  doneLabel: string;
  onDone: () => void;
  /** Where it goes, and that it is not shown again. */
  children: ReactNode;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <Notice tone="success" title="The secret, shown this once">
      {children}
      <TextField label={label} className="mono" readOnly value={secret} onFocus={(e) => e.target.select()} />
      <div className="row">
        <Button
          onClick={() =>
            void navigator.clipboard?.writeText(secret).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied' : 'Copy secret'}
        </Button>
        <Button variant="primary" onClick={onDone}>
          {doneLabel}
        </Button>
      </div>
    </Notice>
  );
}
