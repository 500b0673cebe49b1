/** Every simulated-DOM test starts from an empty page and an empty browser storage. */
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// A shared, busy machine can take more than the default second to render a page: wait longer
// for what must appear (a test still fails if it never does).
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
  document.documentElement.removeAttribute('data-theme');
});

// The viewer's browser is in New York while the space is in Berlin: a time read in the wrong
// zone shows. (Node reads TZ afresh when it changes.)
process.env.TZ = 'America/New_York';
