export { emailTokens } from './schema.js';
export type { EmailTokenPurpose } from './schema.js';
export { createAccountRecovery, normalizeEmail } from './account-recovery.js';
export type {
  AccountRecovery,
  AccountRecoveryOptions,
  RecoveryMailRequest,
  RequestContext,
} from './account-recovery.js';
export { recoveryMailJob, RECOVERY_MAIL_JOB } from './recovery-mail-job.js';
export type { RecoveryMailJobOptions } from './recovery-mail-job.js';
export { recoveryRoutes } from './recovery-routes.js';
export type { RecoveryRoutesOptions } from './recovery-routes.js';
export { defaultRecoveryMails } from './recovery-mail.js';
export type { RecoveryMails, RecoveryMailContext } from './recovery-mail.js';
export { defaultResetFormPage } from './reset-form-page.js';
export type { ResetFormContext } from './reset-form-page.js';
export { newEmailToken, hashEmailToken, issueEmailToken, peekEmailToken, consumeEmailToken } from './email-tokens.js';
export type { EmailTokenGrant } from './email-tokens.js';
