export * from './lib/deliverable.module';
export * from './lib/pdf-printer';
