// The common frame of a view: its root (with the test id), the h1 that receives focus when the
// user switches views (tabIndex -1: focusable by script, not a Tab stop), a lead line and the body.
import type { ReactNode } from 'react';

export interface ViewFrameProps {
  readonly testId: string;
  readonly title: string;
  readonly lead: string;
  /** Added to the root's class, for views that need their own layout (e.g. full height). */
  readonly className?: string;
  readonly children: ReactNode;
}

export function ViewFrame({ testId, title, lead, className, children }: ViewFrameProps) {
  const headingId = `${testId}-heading`;
  return (
    <section className={className === undefined ? 'view' : `view ${className}`} data-testid={testId} aria-labelledby={headingId}>
      <header className="view-header">
        <h1 id={headingId} className="view-title" tabIndex={-1}>
          {title}
        </h1>
        <p className="view-lead">{lead}</p>
      </header>
      <div className="view-body">{children}</div>
    </section>
  );
}
