export {
  databaseTiers,
  embeddedTier,
  requirePostgresTier,
  serviceUnavailable,
  DATABASE_URL,
} from './database-tiers.js';
export type { Tier } from './database-tiers.js';
