import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import { TextField } from '../../../components/ui/field';
import { Notice } from '../../../components/ui/notice';
import { describeError } from '../../../components/ui/error-message';
import { paths } from '../../../config/paths';
import { ApiError } from '../../../lib/api-client';
import { useI18n } from '../../../lib/i18n';
import { useRegister } from '../api/register';

export function RegisterForm({ airline, onSuccess }: { airline: string; onSuccess: () => void }) {
  const { t } = useI18n();
  const register = useRegister();
  const [name, setName] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate({ name: name.trim(), username: username.trim(), password }, { onSuccess });
  };

  const error = register.error instanceof ApiError ? register.error : null;
  const field = error?.detail('field');
  const usernameError =
    error?.code === 'username_taken'
      ? t('auth.register.taken')
      : field === 'username'
        ? t('auth.register.usernameHint')
        : undefined;
  const passwordError = field === 'password' ? t('auth.register.passwordHint') : undefined;
  const nameError = field === 'name' ? error?.message : undefined;
  const other = register.error && !usernameError && !passwordError && !nameError;

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="register-title">
      <h1 id="register-title">{t('auth.register.title')}</h1>
      <p className="muted">{t('auth.register.intro', { airline })}</p>
      <TextField
        label={t('auth.name')}
        name="name"
        autoComplete="name"
        required
        value={name}
        error={nameError}
        onChange={(event) => setName(event.target.value)}
      />
      <TextField
        label={t('auth.username')}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        minLength={3}
        maxLength={32}
        hint={usernameError ? undefined : t('auth.register.usernameHint')}
        error={usernameError}
        value={username}
        onChange={(event) => setUsername(event.target.value)}
      />
      <TextField
        label={t('auth.password')}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        hint={passwordError ? undefined : t('auth.register.passwordHint')}
        error={passwordError}
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      {other ? <Notice tone="error">{describeError(register.error, t)}</Notice> : null}
      <button type="submit" className="button button--primary" disabled={register.isPending}>
        {register.isPending ? t('auth.register.submitting') : t('auth.register.submit')}
      </button>
      <p className="form__alt">
        {t('auth.register.haveAccount')} <Link to={paths.login}>{t('nav.login')}</Link>
      </p>
    </form>
  );
}
