// The common frame of a view: its root (with the test id), the h1 that receives focus when the
// user switches views (tabIndex -1: focusable by script, not a Tab stop), a lead line and the body.
import type { ReactNode } from 'react';

export interface ViewFrameProps {
  readonly testId: string;
  readonly title: string;
  readonly lead: string;
  readonly children: ReactNode;
}

export function ViewFrame({ testId, title, lead, children }: ViewFrameProps) {
  const headingId = `${testId}-heading`;
  return (
    <section className="view" data-testid={testId} aria-labelledby={headingId}>
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
