export * from './lib/documents-api';
export * from './lib/download-task';
