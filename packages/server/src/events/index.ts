export { createEvents, EventPayloadError } from './create-events.js';
export type { DeadEvent, DeliveredEvent, EmitOptions, EventHandler, Events, EventsOptions } from './create-events.js';
export { outboxEvents } from './schema.js';
export { eventsSettings } from '../jobs/jobs-settings.js';
