import { Suspense, useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';

import { useAbout } from '../api/get-about';
import { Loading } from '../components/ui/loading';
import { paths } from '../config/paths';
import { useLogout } from '../features/auth/api/logout';
import { useMe } from '../features/auth/api/get-me';
import { useSession } from '../lib/auth';
import { useI18n } from '../lib/i18n';
import type { LoginState } from '../lib/auth';

function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <button
      type="button"
      className="button button--ghost button--small"
      lang={locale === 'pt-BR' ? 'en' : 'pt-BR'}
      aria-label={t('nav.switchToLabel')}
      onClick={() => setLocale(locale === 'pt-BR' ? 'en' : 'pt-BR')}
    >
      {t('nav.switchTo')}
    </button>
  );
}

function Account() {
  const { t } = useI18n();
  const { current } = useSession();
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  if (!current) {
    return (
      <>
        <NavLink to={paths.login} className="header-link">
          {t('nav.login')}
        </NavLink>
        <NavLink to={paths.register} className="button button--small button--on-brand">
          {t('nav.register')}
        </NavLink>
      </>
    );
  }
  const name = me.data?.name.split(' ')[0] ?? current.username;
  return (
    <>
      <span className="header-hello" data-testid="hello">
        {t('nav.hello', { name })}
      </span>
      <button
        type="button"
        className="button button--small button--on-brand"
        disabled={logout.isPending}
        onClick={() =>
          logout.mutate(undefined, {
            onSettled: () => void navigate(paths.login, { state: { reason: 'logged_out' } satisfies LoginState }),
          })
        }
      >
        {t('nav.logout')}
      </button>
    </>
  );
}

/** Moves the focus to the page's content after navigating, as a new page load would. */
function useFocusOnNavigation() {
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);
  return main;
}

export function Layout() {
  const { t } = useI18n();
  const about = useAbout();
  const { ended } = useSession();
  const location = useLocation();
  const main = useFocusOnNavigation();
  const airline = about.data?.airline.name ?? '';
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <Link to={paths.search} className="brand">
            <span className="brand__mark" aria-hidden="true">
              ✈
            </span>
            <span className="brand__name">{airline || 'PassCom'}</span>
            {airline ? <span className="brand__by">PassCom</span> : null}
          </Link>
          <nav aria-label={t('nav.label')} className="app-nav">
            <NavLink to={paths.search} end>
              {t('nav.search')}
            </NavLink>
            <NavLink to={paths.trips}>{t('nav.trips')}</NavLink>
            <NavLink to={paths.network}>{t('nav.network')}</NavLink>
          </nav>
          <div className="app-header__account">
            <LanguageSwitch />
            <Account />
          </div>
        </div>
      </header>
      {ended === 'expired' && location.pathname !== paths.login ? (
        <div className="banner" role="status">
          {t('auth.expiredBanner')}{' '}
          <Link to={paths.login} state={{ reason: 'expired', from: location.pathname + location.search } satisfies LoginState}>
            {t('auth.expiredBannerLink')}
          </Link>
        </div>
      ) : null}
      <main id="main" ref={main} tabIndex={-1} className="app-main">
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="app-footer">
        <p>{t('app.footer', { version: about.data?.version ?? '' })}</p>
      </footer>
    </div>
  );
}
