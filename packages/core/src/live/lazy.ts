import type { Dispatch, Effect, EffectId } from '../effect/effect.js';
import type { ConnectionState, LiveClient, LiveClientOptions, LiveEvent } from './client.js';

/**
 * A `LiveClient` whose code is loaded only when a page first uses it: the app's shared reducer can
 * import this stub everywhere, and bundlers split the client into its own chunk, fetched by the
 * first `connect`, `join` or `push`. Effects run in the order the reducer returned them, after the
 * load.
 */
export function createLazyLiveClient(options: LiveClientOptions): LiveClient {
  let loading: Promise<LiveClient> | undefined;
  let loaded: LiveClient | undefined;
  const load = () =>
    (loading ??= import('./client.js').then(({ createLiveClient }) => (loaded = createLiveClient(options))));

  // Every effect of the real client is a subscription or a fire-and-forget: run it once loaded.
  const later = (make: (client: LiveClient) => Effect<never>): Effect<never> => ({
    kind: 'fireAndForget',
    run: async (context) => {
      const effect = make(await load());
      if (effect.kind === 'fireAndForget') await effect.run(context);
    },
  });
  return {
    get state(): ConnectionState {
      return loaded?.state ?? { status: 'closed' };
    },
    connect<A>(toAction: (event: LiveEvent) => A, id: EffectId = 'live'): Effect<A> {
      return {
        kind: 'subscription',
        id,
        start: (dispatch: Dispatch<A>) => {
          let stop: (() => void) | void | undefined;
          let stopped = false;
          void load().then((client) => {
            if (stopped) return;
            const effect = client.connect(toAction, id);
            if (effect.kind === 'subscription') stop = effect.start(dispatch);
          });
          return () => {
            stopped = true;
            stop?.();
          };
        },
      };
    },
    join: (topic) => later((client) => client.join(topic)),
    leave: (topic) => later((client) => client.leave(topic)),
    push: (topic, event, data, id) => later((client) => client.push(topic, event, data, id)),
  };
}
