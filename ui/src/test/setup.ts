/** Every simulated-DOM test starts from an empty page and an empty browser storage. */
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
  localStorage.clear();
  document.documentElement.removeAttribute('data-theme');
});

// The viewer's browser is in New York while the space is in Berlin: a time read in the wrong
// zone shows. (Node reads TZ afresh when it changes.)
process.env.TZ = 'America/New_York';
