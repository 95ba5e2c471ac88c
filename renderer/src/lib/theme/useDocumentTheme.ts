// Applies the theme setting to <html data-theme>, which the CSS custom properties key off.
// 'system' follows prefers-color-scheme and keeps following it while the setting stays 'system'.
import { useEffect } from 'react';
import type { Theme } from '../../../../common/settings/settingsSchema';

const DARK_QUERY = '(prefers-color-scheme: dark)';

export function useDocumentTheme(theme: Theme): void {
  useEffect(() => {
    const root = document.documentElement;
    if (theme !== 'system') {
      root.dataset.theme = theme;
      return undefined;
    }
    const query = window.matchMedia(DARK_QUERY);
    const apply = (): void => {
      root.dataset.theme = query.matches ? 'dark' : 'light';
    };
    apply();
    query.addEventListener('change', apply);
    return () => {
      query.removeEventListener('change', apply);
    };
  }, [theme]);
}
