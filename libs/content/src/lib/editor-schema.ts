import { type AnyExtension, type Attribute, getSchema } from '@tiptap/core';
import { Link } from '@tiptap/extension-link';
import type { ContentMatch, NodeType, Schema } from '@tiptap/pm/model';
import { StarterKit } from '@tiptap/starter-kit';
import { BLOCK_ID_PATTERN, BLOCK_ID_TYPES, BlockIdAttribute } from './block-ids';
import { SUGGESTION_ATTRIBUTE_RULES, SuggestionDelete, SuggestionInsert } from './suggestion-marks';

/** A link keeps its address only: a pasted link's classes, titles or targets are foreign. */
const AddressOnlyLink = Link.extend({
  addAttributes() {
    const inherited = (this.parent?.() ?? {}) as Record<string, Attribute>;
    return { href: inherited['href'] ?? { default: null } };
  },
});

/**
 * The one definition of what a proposal's rich text may hold: the Tiptap extensions that shape the
 * web editor's ProseMirror schema (StarterKit without its own Link, plus a Link that keeps only its
 * address), configured as the editor configures them where that changes the schema: what its
 * toolbar offers — headings 2 and 3, bold, italic, links, lists, quotes, hard breaks — and no more,
 * plus the two suggestion marks (track changes, `suggestion-marks.ts`) and the stable block id of
 * paragraphs, headings and list items (`block-ids.ts`).
 * The server seeds, renders and checks incoming updates against `getEditorSchema()`; the web
 * editor's own list is compared with it by a test (`libs/web/proposals/feature`,
 * `editor-schema.spec.ts`), so the two cannot drift apart.
 */
export function editorSchemaExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      link: false,
      trailingNode: false,
      heading: { levels: [...EDITOR_HEADING_LEVELS] as (1 | 2 | 3 | 4 | 5 | 6)[] },
      // What the toolbar does not offer is not in the schema (a paste cannot bring it in).
      underline: false,
      strike: false,
      code: false,
      codeBlock: false,
      horizontalRule: false,
    }),
    AddressOnlyLink.configure({ openOnClick: false, autolink: true, defaultProtocol: 'https', isAllowedUri: (url) => isAllowedLinkHref(url) }),
    SuggestionInsert,
    SuggestionDelete,
    // Stable block ids: the attribute of @tiptap/extension-unique-id (the web editor generates them).
    BlockIdAttribute,
  ];
}

let editorSchema: Schema | undefined;

/** The ProseMirror schema of the web editor (built once; needs no DOM). */
export function getEditorSchema(): Schema {
  editorSchema ??= getSchema(editorSchemaExtensions());
  return editorSchema;
}

/** Longest link address accepted (browsers and servers commonly stop near 2 000–8 000). */
export const MAX_LINK_HREF_LENGTH = 2048;

const LINK_SCHEMES = /^(https?:|mailto:)/i;
// C0 and C1 controls, DEL, and the invisible characters browsers strip from URLs before parsing.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/;

/**
 * Whether a link may point there: `http:`, `https:` or `mailto:` (any case, after trimming
 * spaces), with something after the scheme, no control characters, at most
 * `MAX_LINK_HREF_LENGTH` characters. Everything else — `javascript:`, `data:`, `vbscript:`,
 * relative or scheme-less addresses — is refused. The web editor uses it as Link's `isAllowedUri`.
 */
export function isAllowedLinkHref(href: unknown): href is string {
  if (typeof href !== 'string') return false;
  if (href.length > MAX_LINK_HREF_LENGTH || CONTROL_CHARACTERS.test(href)) return false;
  const trimmed = href.trim();
  const scheme = LINK_SCHEMES.exec(trimmed);
  return scheme !== null && trimmed.length > scheme[0].length;
}

/** Checks one attribute value; returns a reason, or null when the value is acceptable. */
export type AttributeRule = (value: unknown) => string | null;

const oneOf =
  (allowed: readonly unknown[], what: string): AttributeRule =>
  (value) =>
    allowed.includes(value) ? null : `${what} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;

const nullOr =
  (rule: AttributeRule): AttributeRule =>
  (value) =>
    value === null ? null : rule(value);

/** A block's stable id: absent (null), or a short token (`BLOCK_ID_PATTERN`). */
const BLOCK_ID_RULE: AttributeRule = nullOr((value) =>
  typeof value === 'string' && BLOCK_ID_PATTERN.test(value) ? null : 'a block id must be 1 to 64 letters, digits, "-" or "_"',
);

/** Heading levels the editor offers (its toolbar's H2 and H3; its shortcuts and `#` rules follow). */
export const EDITOR_HEADING_LEVELS: readonly number[] = [2, 3];

/**
 * The accepted values of every attribute of every node and mark of the editor schema (a test
 * checks that the two name the same attributes). Values not listed here are refused even where
 * ProseMirror would take them: what the server stores, every editor and export must render.
 */
export const EDITOR_ATTRIBUTE_RULES: {
  readonly nodes: Readonly<Record<string, Readonly<Record<string, AttributeRule>>>>;
  readonly marks: Readonly<Record<string, Readonly<Record<string, AttributeRule>>>>;
} = {
  nodes: {
    ...Object.fromEntries(BLOCK_ID_TYPES.map((type) => [type, { id: BLOCK_ID_RULE }])),
    heading: { level: oneOf(EDITOR_HEADING_LEVELS, 'a heading level'), id: BLOCK_ID_RULE },
    orderedList: {
      start: (value) =>
        Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 2 ** 31 - 1
          ? null
          : 'a list start must be a whole number from 0',
      type: nullOr(oneOf(['1', 'a', 'A', 'i', 'I'], 'a list numbering type')),
    },
  },
  marks: {
    suggestionInsert: SUGGESTION_ATTRIBUTE_RULES,
    suggestionDelete: SUGGESTION_ATTRIBUTE_RULES,
    link: {
      href: (value) =>
        isAllowedLinkHref(value) ? null : `a link address must start with http:, https: or mailto: and have no control characters (at most ${MAX_LINK_HREF_LENGTH} characters)`,
    },
  },
};

/** The node and mark types each node type may hold anywhere in its content (not the order or count). */
export function allowedChildTypes(type: NodeType): ReadonlySet<string> {
  const cached = childTypesCache.get(type);
  if (cached) return cached;
  const names = new Set<string>();
  const seen = new Set<ContentMatch>();
  const queue: ContentMatch[] = [type.contentMatch];
  while (queue.length > 0) {
    const match = queue.pop() as ContentMatch;
    if (seen.has(match)) continue;
    seen.add(match);
    for (let index = 0; index < match.edgeCount; index++) {
      const edge = match.edge(index);
      names.add(edge.type.name);
      queue.push(edge.next);
    }
  }
  childTypesCache.set(type, names);
  return names;
}

const childTypesCache = new WeakMap<NodeType, ReadonlySet<string>>();

/**
 * A plain description of a schema's shape (node and mark names, content expressions, groups,
 * attributes with their defaults, allowed marks, parse rules' tags), for comparing two schemas.
 */
export function describeSchema(schema: Schema): unknown {
  const attrs = (specAttrs: Record<string, { default?: unknown }> | undefined) =>
    Object.fromEntries(Object.entries(specAttrs ?? {}).map(([name, spec]) => [name, 'default' in spec ? spec.default : '(required)']));
  const tags = (rules: ReadonlyArray<{ tag?: string; style?: string }> | undefined) =>
    (rules ?? []).map((rule) => rule.tag ?? `style:${rule.style}`);
  return {
    topNode: schema.topNodeType.name,
    nodes: Object.fromEntries(
      Object.values(schema.nodes).map((type) => [
        type.name,
        {
          content: type.spec.content ?? '',
          group: type.spec.group ?? '',
          inline: type.isInline,
          marks: type.spec.marks ?? null,
          atom: type.isAtom,
          code: type.spec.code ?? false,
          attrs: attrs(type.spec.attrs),
          parse: tags(type.spec.parseDOM),
        },
      ]),
    ),
    marks: Object.fromEntries(
      Object.values(schema.marks).map((type) => [
        type.name,
        {
          excludes: type.spec.excludes ?? null,
          inclusive: type.spec.inclusive ?? true,
          attrs: attrs(type.spec.attrs),
          parse: tags(type.spec.parseDOM),
        },
      ]),
    ),
  };
}
