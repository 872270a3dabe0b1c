import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import { TextField } from '../../../components/ui/field';
import { Notice } from '../../../components/ui/notice';
import { describeError } from '../../../components/ui/error-message';
import { paths } from '../../../config/paths';
import { ApiError } from '../../../lib/api-client';
import { useI18n } from '../../../lib/i18n';
import type { EndReason } from '../../../lib/session';
import { useLogin } from '../api/login';

type Props = {
  /** Why the customer is here: their session expired, or they just logged out. */
  reason?: EndReason;
  onSuccess: () => void;
};

export function LoginForm({ reason, onSuccess }: Props) {
  const { t } = useI18n();
  const login = useLogin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ username: username.trim(), password }, { onSuccess });
  };

  const failure =
    login.error instanceof ApiError && login.error.code === 'invalid_credentials'
      ? t('auth.login.invalid')
      : login.error
        ? describeError(login.error, t)
        : null;

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="login-title">
      <h1 id="login-title">{t('auth.login.title')}</h1>
      {reason === 'expired' ? <Notice tone="warning">{t('auth.expired')}</Notice> : null}
      {reason === 'logged_out' ? <Notice tone="info">{t('auth.loggedOut')}</Notice> : null}
      <p className="muted">{t('auth.login.intro')}</p>
      <TextField
        label={t('auth.username')}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={username}
        onChange={(event) => setUsername(event.target.value)}
      />
      <TextField
        label={t('auth.password')}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      {failure ? <Notice tone="error">{failure}</Notice> : null}
      <button type="submit" className="button button--primary" disabled={login.isPending}>
        {login.isPending ? t('auth.login.submitting') : t('auth.login.submit')}
      </button>
      <p className="form__alt">
        {t('auth.login.noAccount')} <Link to={paths.register}>{t('nav.register')}</Link>
      </p>
    </form>
  );
}
