export { databaseTiers, embeddedTier, requirePostgresTier, DATABASE_URL } from './database-tiers.js';
export type { Tier } from './database-tiers.js';
export { serviceUnavailable } from './service-unavailable.js';
export { requireRedis, REDIS_URL } from './redis-available.js';
export { createTestCertificate } from './test-certificate.js';
export type { TestCertificate } from './test-certificate.js';
export { eventually } from './eventually.js';
export { startSmtpResponder, freeLoopbackPort } from './smtp-responder.js';
export type { SmtpResponder, ReceivedMail } from './smtp-responder.js';
