/**
 * Short-lived messages after an action ("Booking created"), announced politely to screen readers;
 * failures stay until dismissed.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { Button } from './Button';
import type { Tone } from './Notice';

interface Toast {
  id: number;
  tone: Tone;
  text: string;
}

type Show = (text: string, tone?: Tone) => void;

const ToastContext = createContext<Show>(() => {});

let nextId = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback<Show>(
    (text, tone = 'success') => {
      const id = nextId++;
      setToasts((all) => [...all.slice(-3), { id, tone, text }]);
      if (tone !== 'danger') setTimeout(() => dismiss(id), 6000);
    },
    [dismiss],
  );
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className="notice toast" data-tone={toast.tone}>
            <span>{toast.text}</span>
            <Button variant="ghost" size="small" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
              ×
            </Button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

/** `toast("Saved")`, `toast("Kisi refused: …", "danger")`. */
export function useToast(): Show {
  return useContext(ToastContext);
}
