export * from './lib/account-api';
export * from './lib/mfa-challenge';
export * from './lib/mfa-enrolment.interceptor';
export * from './lib/admin.guard';
export * from './lib/recovery-codes';
export * from './lib/webhooks-api';
export * from './lib/notifications';
