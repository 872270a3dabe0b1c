import { useI18n } from '../../../lib/i18n';
import type { MessageKey } from '../../../lib/messages';

const known = ['confirmed', 'pending', 'failed', 'cancelled', 'flight_cancelled'] as const;

/** A booking's or segment's status in words and colour. */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const kind = known.find((k) => k === status);
  const key: MessageKey | null = kind ? `trips.status.${kind}` : null;
  return <span className={`status status--${kind ?? 'other'}`}>{key ? t(key) : status}</span>;
}
