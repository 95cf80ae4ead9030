import type { Editor } from '@tiptap/core';

/** Which formats apply at the selection: the toolbar's pressed states. */
export interface ActiveFormats {
  heading2: boolean;
  heading3: boolean;
  bold: boolean;
  italic: boolean;
  bulletList: boolean;
  orderedList: boolean;
  blockquote: boolean;
  link: boolean;
}

export const NO_FORMATS: ActiveFormats = {
  heading2: false,
  heading3: false,
  bold: false,
  italic: false,
  bulletList: false,
  orderedList: false,
  blockquote: false,
  link: false,
};

export function activeFormats(editor: Editor): ActiveFormats {
  return {
    heading2: editor.isActive('heading', { level: 2 }),
    heading3: editor.isActive('heading', { level: 3 }),
    bold: editor.isActive('bold'),
    italic: editor.isActive('italic'),
    bulletList: editor.isActive('bulletList'),
    orderedList: editor.isActive('orderedList'),
    blockquote: editor.isActive('blockquote'),
    link: editor.isActive('link'),
  };
}

export function sameFormats(a: ActiveFormats, b: ActiveFormats): boolean {
  return (Object.keys(a) as (keyof ActiveFormats)[]).every((key) => a[key] === b[key]);
}
