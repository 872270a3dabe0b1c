import { useQuery } from '@tanstack/react-query';

import { env } from '../../../config/env';
import { api, unwrap, type Schemas } from '../../../lib/api-client';

export type NetworkView = Schemas['NetworkView'];
export type PeerStatus = Schemas['PeerStatusView'];

/** `GET /network`: this node and its peers: status, last heartbeat, replication. */
export async function getNetwork(): Promise<NetworkView> {
  return unwrap(api.GET('/api/v1/network'));
}

/** The network as this node sees it, read again every few seconds while shown. */
export function useNetwork() {
  return useQuery({
    queryKey: ['network'],
    queryFn: getNetwork,
    refetchInterval: env.networkRefreshMs,
    staleTime: 0,
  });
}
