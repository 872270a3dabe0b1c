import { Link, useRouteError } from 'react-router';

import { paths } from '../../config/paths';
import { useI18n } from '../../lib/i18n';

export function NotFoundRoute() {
  const { t } = useI18n();
  return (
    <div className="page page--narrow">
      <h1>{t('app.notFound.title')}</h1>
      <p>{t('app.notFound.body')}</p>
      <Link to={paths.search}>{t('app.notFound.home')}</Link>
    </div>
  );
}

/** What a page shows when it failed to render (a bug, or its code failed to load). */
export function RouteError() {
  const { t } = useI18n();
  const error = useRouteError();
  return (
    <div className="page page--narrow" role="alert">
      <h1>{t('app.error')}</h1>
      <p className="muted">{error instanceof Error ? error.message : String(error)}</p>
      <button type="button" className="button" onClick={() => window.location.reload()}>
        {t('app.retry')}
      </button>
    </div>
  );
}
