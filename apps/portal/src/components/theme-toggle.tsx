'use client';

import { useEffect, useState } from 'react';
import { themeCookie } from '../theme/theme-cookie';
type Theme = 'light' | 'dark';

function effectiveTheme(): Theme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/**
 * Switches light/dark. Without a choice the page follows the system (prefers-color-scheme); a choice
 * is kept in a cookie so the server renders the right theme on the next visit (no flash, no inline script).
 */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme | undefined>();
  useEffect(() => setTheme(effectiveTheme()), []);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="theme-toggle"
      data-test="theme-toggle"
      data-theme-now={theme}
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      onClick={() => {
        document.documentElement.dataset.theme = next;
        document.cookie = `${themeCookie}=${next}; path=/; max-age=31536000; samesite=lax`;
        setTheme(next);
      }}
    >
      <span aria-hidden>{theme === 'dark' ? '☀' : '☾'}</span>
    </button>
  );
}
