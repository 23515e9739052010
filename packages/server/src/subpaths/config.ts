export { loadServerConfig, readEnvFile, ConfigError } from '../config/load-config.js';
export type { ServerConfig, TrustProxy } from '../config/load-config.js';
export { ConfigSchema } from '../config/schema.js';
export { renderConfigDoc, renderEnvExample } from '../config/config-doc.js';
