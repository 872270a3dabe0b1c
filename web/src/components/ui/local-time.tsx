import { localTime } from '../../lib/format';
import { useI18n } from '../../lib/i18n';

/**
 * A local time at its airport (`06:00`), with `+1 day` when it falls on a later local date
 * than the trip's departure.
 */
export function LocalTime({ at, dayOffset = 0 }: { at: string; dayOffset?: number }) {
  const { t } = useI18n();
  return (
    <span className="local-time">
      <time dateTime={at}>{localTime(at)}</time>
      {dayOffset > 0 ? (
        <sup className="day-offset" title={t('time.nextDayLabel', { days: dayOffset })}>
          <span aria-hidden="true">{t('time.nextDay', { days: dayOffset })}</span>
          <span className="visually-hidden">{t('time.nextDayLabel', { days: dayOffset })}</span>
        </sup>
      ) : null}
    </span>
  );
}
