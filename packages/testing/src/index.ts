export { databaseTiers, embeddedTier, requirePostgresTier, DATABASE_URL } from './database-tiers.js';
export type { Tier } from './database-tiers.js';
export { serviceUnavailable } from './service-unavailable.js';
