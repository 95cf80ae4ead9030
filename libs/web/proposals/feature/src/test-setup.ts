import '@angular/localize/init';
import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

setupZonelessTestEnv({
  errorOnUnknownElements: true,
  errorOnUnknownProperties: true,
});

// jsdom has no layout: ProseMirror scrolls the selection into view after focus() and measures
// text with Range/Text rects. Empty rectangles are enough for the editor's logic.
const noRect = () => ({ x: 0, y: 0, top: 0, left: 0, bottom: 0, right: 0, width: 0, height: 0, toJSON: () => ({}) }) as DOMRect;
const noRects = () => [] as unknown as DOMRectList;
for (const proto of [Range.prototype, Text.prototype] as Array<{ getClientRects?: unknown; getBoundingClientRect?: unknown }>) {
  proto.getClientRects ??= noRects;
  proto.getBoundingClientRect ??= noRect;
}
document.elementFromPoint ??= () => null;
// ProseMirror's view.pasteHTML() builds a ClipboardEvent, which jsdom lacks.
(globalThis as { ClipboardEvent?: unknown }).ClipboardEvent ??= class extends Event {
  readonly clipboardData = null;
};
