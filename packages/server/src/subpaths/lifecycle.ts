export { runApp } from '../lifecycle/run-app.js';
export type { RunAppOptions } from '../lifecycle/run-app.js';
export { runServer } from '../lifecycle/run-server.js';
export { loadShedding } from '../lifecycle/load-shedding.js';
export type { LoadSheddingOptions } from '../lifecycle/load-shedding.js';
export { inFlight } from '../lifecycle/in-flight.js';
export type { InFlightRequest } from '../lifecycle/in-flight.js';
export { drain } from '../server/drain.js';
export { listeners } from '../server/listeners.js';
