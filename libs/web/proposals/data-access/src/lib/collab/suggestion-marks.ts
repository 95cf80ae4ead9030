// The suggestion marks (track changes) of the shared editor schema, for the editor: the same
// definitions the server validates updates against (@concord/content).
export { SUGGESTION_DELETE, SUGGESTION_INSERT, SuggestionDelete, SuggestionInsert } from '@concord/content';
// The whole schema (nodes, marks, suggestion marks) for read-only renderings of stored revisions.
export { editorSchemaExtensions } from '@concord/content';
// The stable block ids the editor writes and the server keeps true (libs/content block-ids.ts).
export { BLOCK_ID_ATTRIBUTE, BLOCK_ID_TYPES } from '@concord/content';
