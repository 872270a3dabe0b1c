import { useAbout } from '../../api/get-about';
import { NetworkMap } from '../../features/network/components/network-map';
import { NetworkStatus } from '../../features/network/components/network-status';
import { useI18n } from '../../lib/i18n';

export function NetworkRoute() {
  const { t } = useI18n();
  const about = useAbout();
  return (
    <div className="page">
      <h1>{t('network.title')}</h1>
      <p className="muted">{t('network.intro', { airline: about.data?.airline.name ?? 'PassCom' })}</p>
      <div className="network-layout">
        <NetworkStatus />
        <section className="card" aria-labelledby="network-routes">
          <h2 id="network-routes">{t('network.routes')}</h2>
          <NetworkMap />
        </section>
      </div>
    </div>
  );
}
