export * from './lib/document-model';
export * from './lib/layout';
export * from './lib/docx-writer';
export * from './lib/docx-reader';
export * from './lib/redline';
export * from './lib/html-writer';
export * from './lib/verification';
