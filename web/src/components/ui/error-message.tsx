import { ApiError } from '../../lib/api-client';
import { useI18n, type Translate } from '../../lib/i18n';

/** What to tell people about `error`: the network, or the API's own message. */
export function describeError(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    return error.status === 0 ? t('app.offlineNetwork') : error.message;
  }
  return t('app.error');
}

/** A failed load, with a way to try again. */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="notice notice--error" role="alert">
      <p>{describeError(error, t)}</p>
      {onRetry ? (
        <button type="button" className="button button--small" onClick={onRetry}>
          {t('app.retry')}
        </button>
      ) : null}
    </div>
  );
}
