import { Navigate, useLocation, useNavigate } from 'react-router';

import { useAbout } from '../../api/get-about';
import { paths } from '../../config/paths';
import { LoginForm } from '../../features/auth/components/login-form';
import { RegisterForm } from '../../features/auth/components/register-form';
import { useSession, type LoginState } from '../../lib/auth';

function useReturn() {
  const location = useLocation();
  const navigate = useNavigate();
  const state = (location.state ?? {}) as LoginState;
  const from = state.from && state.from.startsWith('/') && !state.from.startsWith(paths.login) ? state.from : paths.search;
  return { state, from, back: () => void navigate(from, { replace: true }) };
}

export function LoginRoute() {
  const { current, ended } = useSession();
  const { state, from, back } = useReturn();
  if (current) return <Navigate to={from} replace />;
  return (
    <div className="page page--narrow">
      <LoginForm reason={state.reason ?? ended ?? undefined} onSuccess={back} />
    </div>
  );
}

export function RegisterRoute() {
  const about = useAbout();
  const { current } = useSession();
  const { from, back } = useReturn();
  if (current) return <Navigate to={from} replace />;
  return (
    <div className="page page--narrow">
      <RegisterForm airline={about.data?.airline.name ?? 'PassCom'} onSuccess={back} />
    </div>
  );
}
