// An honest placeholder for a view whose feature is not in this build: says what will appear here
// and that it is not available yet, with no controls that pretend to work.
import type { ReactNode } from 'react';

export interface EmptyStateProps {
  readonly title: string;
  readonly icon: ReactNode;
  readonly children: ReactNode;
}

export function EmptyState({ title, icon, children }: EmptyStateProps) {
  return (
    <div className="empty-state">
      <div className="empty-state-icon">{icon}</div>
      <h2 className="empty-state-title">{title}</h2>
      <div className="empty-state-text">{children}</div>
      <p className="badge">Not available in this build yet</p>
    </div>
  );
}
