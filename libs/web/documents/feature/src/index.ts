export * from './lib/documents.routes';
export * from './lib/verify-page/verify-page';
