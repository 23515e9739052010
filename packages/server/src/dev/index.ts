export { startDevServer } from './dev-server.js';
export type { DevServer, DevServerFactory, DevServerOptions } from './dev-server.js';
export { PortInUseError, ServerModuleError } from './dev-errors.js';
export type { PortHolder } from './dev-errors.js';
