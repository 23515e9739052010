import { Counter, Gauge, type Registry } from 'prom-client';

export interface LiveMetrics {
  readonly connections: Gauge;
  readonly channels: Gauge;
  readonly messagesIn: Counter;
  readonly messagesOut: Counter;
  readonly slowConsumers: Counter;
  readonly closes: Counter<'code'>;
}

/** Instruments of the live endpoint, in the server's registry (next to the HTTP ones). */
export function createLiveMetrics(registry: Registry): LiveMetrics {
  const registers = [registry];
  return {
    connections: new Gauge({ name: 'live_connections', help: 'Open live sockets', registers }),
    channels: new Gauge({ name: 'live_channels', help: 'Topics with at least one local subscriber', registers }),
    messagesIn: new Counter({ name: 'live_messages_in_total', help: 'Frames received from clients', registers }),
    messagesOut: new Counter({ name: 'live_messages_out_total', help: 'Frames sent to clients', registers }),
    slowConsumers: new Counter({
      name: 'live_slow_consumers_dropped_total',
      help: 'Sockets closed because their unsent data passed the limit',
      registers,
    }),
    closes: new Counter({
      name: 'live_server_closes_total',
      help: 'Sockets the server closed, by close code',
      labelNames: ['code'],
      registers,
    }),
  };
}
