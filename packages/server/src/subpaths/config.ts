export { loadServerConfig, readEnvFile, ConfigError } from '../config/load-config.js';
export type { AppEnv, ServerConfig, TrustProxy } from '../config/load-config.js';
export { ConfigSchema } from '../config/schema.js';
export {
  renderConfigDoc,
  renderEnvExample,
  renderAppConfigDoc,
  renderAppEnvExample,
  writeAppConfigDocs,
} from '../config/config-doc.js';
