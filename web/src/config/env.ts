/**
 * Settings of the app, fixed at build time. The app is served by the node whose API it calls,
 * so the API is on the same origin unless `VITE_API_BASE` says otherwise (e.g. for `vite dev`
 * against another host).
 */
export const env = {
  /** Prefix of API paths; '' means this origin. */
  apiBase: (import.meta.env.VITE_API_BASE as string | undefined) ?? '',
  /** How often the network page refreshes itself. */
  networkRefreshMs: 3_000,
  /** How often a pending booking is read again until its outcome is known. */
  pendingPollMs: 1_000,
  /**
   * How long the checkout follows a pending purchase before it leaves it to the booking's own
   * page (which goes on following it): the airlines decide in seconds unless one of them is
   * unreachable, and then the commit protocol gives up on it long before this.
   */
  pendingFollowMs: 30_000,
  /** Page size of "My trips". */
  tripsPageSize: 20,
} as const;
