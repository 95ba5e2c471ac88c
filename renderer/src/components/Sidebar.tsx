// The view switcher: a nav list with one roving tab stop. Tab lands on the focused (or else the
// active) item; ArrowUp/ArrowDown (wrapping), Home and End move focus without activating;
// Enter and Space activate, as native buttons do.
import { useState } from 'react';
import type { FocusEvent, KeyboardEvent, ReactNode } from 'react';

export interface SidebarItem<Id extends string> {
  readonly id: Id;
  readonly label: string;
  readonly icon: ReactNode;
  /** Shown next to the label, e.g. "Ctrl 1"; omitted where the shortcut would not work. */
  readonly shortcutHint?: string;
  /** aria-keyshortcuts value, e.g. "Control+1". */
  readonly ariaKeyShortcuts?: string;
}

export interface SidebarProps<Id extends string> {
  readonly label: string;
  readonly items: readonly SidebarItem<Id>[];
  readonly activeId: Id;
  readonly onSelect: (id: Id) => void;
}

export function Sidebar<Id extends string>({ label, items, activeId, onSelect }: SidebarProps<Id>) {
  // The item holding the tab stop while focus is inside the list; null once focus leaves, so the
  // next Tab into the list lands on the active view.
  const [focusedIndex, setFocusedIndex] = useState<number | null>(null);
  const activeIndex = Math.max(
    0,
    items.findIndex((item) => item.id === activeId),
  );
  const tabStop = focusedIndex ?? activeIndex;

  const handleKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const count = items.length;
    let next: number;
    switch (event.key) {
      case 'ArrowDown':
        next = (tabStop + 1) % count;
        break;
      case 'ArrowUp':
        next = (tabStop - 1 + count) % count;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = count - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    setFocusedIndex(next);
    event.currentTarget.querySelectorAll<HTMLButtonElement>('button[data-roving-item]')[next]?.focus();
  };

  const handleBlur = (event: FocusEvent<HTMLUListElement>): void => {
    if (!(event.relatedTarget instanceof Node) || !event.currentTarget.contains(event.relatedTarget)) {
      setFocusedIndex(null);
    }
  };

  return (
    <nav className="sidebar-nav" aria-label={label}>
      <ul className="nav-list" onKeyDown={handleKeyDown} onBlur={handleBlur}>
        {items.map((item, index) => {
          const active = item.id === activeId;
          return (
            <li key={item.id}>
              <button
                type="button"
                className="nav-item"
                data-roving-item=""
                data-testid={`nav-${item.id}`}
                tabIndex={index === tabStop ? 0 : -1}
                aria-current={active ? 'page' : undefined}
                aria-keyshortcuts={item.ariaKeyShortcuts}
                onFocus={() => {
                  setFocusedIndex(index);
                }}
                onClick={() => {
                  onSelect(item.id);
                }}
              >
                {item.icon}
                <span className="nav-label">{item.label}</span>
                {item.shortcutHint === undefined ? null : (
                  <kbd className="nav-shortcut" aria-hidden="true">
                    {item.shortcutHint}
                  </kbd>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
