import type { ReactNode } from 'react';

/** A titled section of a page. */
export function Card({
  title,
  actions,
  children,
  labelId,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  labelId?: string;
}) {
  return (
    <section className="card" aria-labelledby={title ? labelId : undefined}>
      {(title || actions) && (
        <div className="page-header" style={{ marginBottom: 'var(--space-3)' }}>
          {title && <h2 id={labelId}>{title}</h2>}
          {actions && <div className="row">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p>{subtitle}</p>}
      </div>
      {actions && <div className="row">{actions}</div>}
    </header>
  );
}
