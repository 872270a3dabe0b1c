// Every component test: jest-dom's matchers, a clean DOM, storage and fetch mock between tests.
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

import { session } from '../lib/session';

afterEach(() => {
  cleanup();
  localStorage.clear();
  session.reload();
  session.acknowledge();
});
