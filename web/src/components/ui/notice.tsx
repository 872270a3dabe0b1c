import type { ReactNode } from 'react';

type Tone = 'info' | 'success' | 'warning' | 'error';

/**
 * A message in a coloured box. Errors and warnings are alerts (read out at once); the others
 * are status messages (read out when the reader is idle).
 */
export function Notice({ tone, children, id }: { tone: Tone; children: ReactNode; id?: string }) {
  const role = tone === 'error' || tone === 'warning' ? 'alert' : 'status';
  return (
    <div id={id} className={`notice notice--${tone}`} role={role}>
      {children}
    </div>
  );
}
