import { useAirlines } from '../../../api/get-airlines';
import { AirlineBadge } from '../../../components/ui/airline-badge';
import { ErrorMessage } from '../../../components/ui/error-message';
import { Loading } from '../../../components/ui/loading';
import { formatInstant, secondsBetween } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n';
import { useNetwork, type PeerStatus } from '../api/get-network';

/**
 * The airlines of the network as this node sees them: online or offline, last heartbeat,
 * how far behind its copy of each one's catalog is. Refreshes itself.
 */
export function NetworkStatus() {
  const { t, locale } = useI18n();
  const network = useNetwork();
  const airlines = useAirlines({ refetchInterval: 10_000 });

  if (network.isPending) return <Loading />;
  if (!network.data) return <ErrorMessage error={network.error} onRetry={() => void network.refetch()} />;

  const view = network.data;
  const now = new Date(network.dataUpdatedAt);
  const airline = (id: string) => airlines.data?.byId.get(id) ?? { id, name: id };
  const updated = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(now);

  return (
    <section aria-labelledby="network-airlines">
      <div className="section-head">
        <h2 id="network-airlines">{t('network.airline')}</h2>
        <p className="muted">{t('network.updated', { time: updated })}</p>
      </div>
      {network.isError ? <ErrorMessage error={network.error} /> : null}
      <ul className="peer-list">
        <li className="peer card" data-airline={view.airline}>
          <div className="peer__head">
            <AirlineBadge airline={airline(view.airline)} />
            <span className="muted">{t('network.self')}</span>
            <span className="status status--online">{t('network.online')}</span>
          </div>
          <dl className="peer__facts">
            <div>
              <dt>{t('network.status')}</dt>
              <dd>{t('network.startedAt', { at: formatInstant(view.started_at, locale) })}</dd>
            </div>
            <div>
              <dt>{t('network.replication')}</dt>
              <dd>{t('network.logHead', { head: view.log_head })}</dd>
            </div>
          </dl>
        </li>
        {view.peers.map((peer) => (
          <Peer key={peer.airline} peer={peer} now={now} airline={airline(peer.airline)} />
        ))}
      </ul>
    </section>
  );
}

function Peer({ peer, now, airline }: { peer: PeerStatus; now: Date; airline: { id: string; name?: string; colour?: string } }) {
  const { t, locale } = useI18n();
  const online = peer.status === 'online';
  const lag = peer.replication.lag_entries;
  return (
    <li className={`peer card${online ? '' : ' peer--offline'}`} data-airline={peer.airline} data-status={peer.status}>
      <div className="peer__head">
        <AirlineBadge airline={airline} />
        <span className="muted peer__url">{peer.url}</span>
        <span className={`status status--${online ? 'online' : 'offline'}`}>
          {online ? t('network.online') : t('network.offline')}
        </span>
      </div>
      <dl className="peer__facts">
        <div>
          <dt>{t('network.status')}</dt>
          <dd>{t('network.since', { at: formatInstant(peer.since, locale) })}</dd>
        </div>
        <div>
          <dt>{t('network.lastHeartbeat')}</dt>
          <dd>
            {peer.last_heartbeat ? (
              <time dateTime={peer.last_heartbeat} title={formatInstant(peer.last_heartbeat, locale)}>
                {t('network.secondsAgo', { seconds: secondsBetween(peer.last_heartbeat, now) })}
              </time>
            ) : (
              t('network.never')
            )}
          </dd>
        </div>
        <div>
          <dt>{t('network.lag')}</dt>
          <dd className={lag > 0 ? 'lag lag--behind' : 'lag'}>
            {lag === 0 ? t('network.upToDate') : t('network.lagEntries', { count: lag })}
          </dd>
        </div>
        <div>
          <dt>{t('network.replication')}</dt>
          <dd>
            {t('network.position', {
              position: peer.replication.position,
              head: peer.replication.owner_head,
            })}
          </dd>
        </div>
      </dl>
    </li>
  );
}
