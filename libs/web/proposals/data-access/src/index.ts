export * from './lib/proposals-api';
export * from './lib/threads-api';
export * from './lib/proposal-permissions';
export * from './lib/proposal.store';
export * from './lib/collab/author-color';
export * from './lib/collab/connection-tracker';
export * from './lib/collab/collab-connector';
export * from './lib/collab/proposal-document.session';
export * from './lib/collab/record-tracker';
export * from './lib/collab/server-messages';
export * from './lib/collab/document-text';
// Test doubles for the live document's transports (unit tests of the data-access and feature libs).
export * from './lib/collab/fake-collab-connector';
export * from './lib/collab/suggestion-marks';
export * from './lib/amendments/amendments-api';
export * from './lib/amendments/amendments.feed';
