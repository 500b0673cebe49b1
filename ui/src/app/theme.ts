/**
 * Light and dark themes: the system's choice by default (prefers-color-scheme in tokens.css), or
 * the person's own, remembered in this browser.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'doorlink.theme';

export function storedTheme(): ThemeChoice {
  const value = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') {
    root.removeAttribute('data-theme');
    localStorage.removeItem(KEY);
  } else {
    root.setAttribute('data-theme', choice);
    localStorage.setItem(KEY, choice);
  }
}

/** The next choice of the toggle: system → light → dark → system. */
export function nextTheme(choice: ThemeChoice): ThemeChoice {
  return choice === 'system' ? 'light' : choice === 'light' ? 'dark' : 'system';
}
