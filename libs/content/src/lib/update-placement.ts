import type { Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { CONTENT_FIELD } from './document-building';
import { allowedChildTypes, EDITOR_ATTRIBUTE_RULES, type AttributeRule } from './editor-schema';

/**
 * Where an item lands: the kind of shared type that will hold it, and the attribute key if it is
 * an attribute rather than a child. `unknown` when that cannot be known yet (the item refers to
 * something neither the document nor the update has: yjs keeps it pending) or never matters (its
 * neighbour or its parent was garbage-collected: yjs drops it). `not-a-type` when it names an item that is not a
 * shared type as its parent.
 */
type ParentKind = 'fragment' | 'element' | 'text' | 'other' | 'unknown' | 'not-a-type';

interface Placement {
  readonly kind: ParentKind;
  readonly key: string | null;
  /** The node type: of the element itself (`element`), of the element holding the text (`text`). */
  readonly node: string | null;
}

const UNKNOWN: Placement = { kind: 'unknown', key: null, node: null };

function kindOfType(type: unknown): ParentKind {
  // Order matters: XmlElement extends XmlFragment, XmlText extends Text.
  if (type instanceof Y.XmlText) return 'text';
  if (type instanceof Y.XmlElement) return 'element';
  if (type instanceof Y.XmlFragment) return 'fragment';
  return 'other';
}

/** Kind and node type name of a shared type the document holds. */
function describeType(type: unknown): { kind: ParentKind; node: string | null } {
  const kind = kindOfType(type);
  if (kind === 'element') return { kind, node: (type as Y.XmlElement).nodeName };
  if (kind === 'text') {
    const holder = (type as Y.XmlText)._item?.parent;
    return { kind, node: holder instanceof Y.XmlElement ? holder.nodeName : null };
  }
  return { kind, node: null };
}

export interface ContentCheckOptions {
  /** The document the update is about to be applied to; null checks the update on its own. */
  readonly doc?: Y.Doc | null;
  /** The fragment holding the rich text (default `content`). */
  readonly field?: string;
  /** The schema names, attributes and marks must fit; null checks placement only. */
  readonly schema?: Schema | null;
  /** Accepted attribute values (default `EDITOR_ATTRIBUTE_RULES`). */
  readonly attributeRules?: typeof EDITOR_ATTRIBUTE_RULES;
  /** `Y.decodeUpdate(update).structs`, when the caller has decoded it already. */
  readonly decodedStructs?: ReadonlyArray<Y.Item | Y.GC | Y.Skip>;
}

/**
 * Checks that every item of `update`, once applied to `doc`, sits where a ProseMirror document
 * (y-prosemirror / Tiptap) can hold it: children of the `content` fragment are Y.XmlElement,
 * children of elements are Y.XmlElement or Y.XmlText, children of a Y.XmlText are text and
 * formatting marks, attributes are plain values, and nothing is written outside the `content`
 * fragment. Such misplaced content is well-formed for yjs but makes y-prosemirror throw when
 * rendering and can break editors. Returns a reason, or null when the update is acceptable.
 * Expects a structurally valid update (see `parseUpdateV1`).
 */
export function checkProseMirrorPlacement(doc: Y.Doc, update: Uint8Array, field = CONTENT_FIELD): string | null {
  return checkUpdateContent(update, { doc, field, schema: null });
}

/**
 * The placement check of `checkProseMirrorPlacement` and, with a schema, the schema check of every
 * item the update inserts: an element's name is a node type the parent may hold anywhere in its
 * content, text sits only in nodes with inline content, an attribute is one the node has and its
 * value passes `EDITOR_ATTRIBUTE_RULES`, a mark is a mark of the schema that the node allows, with
 * known attributes and valid values (a link's `href`). Order and count of children (`listItem`
 * starts with a paragraph…) are not checked: a plain Yjs client may write a node and its children
 * in separate updates.
 *
 * Resolves parents the way yjs does (explicit parent, else the left origin's, else the right
 * origin's), looking in `doc` (when given) and in the update itself. Items whose parent is not
 * known (pending in yjs, or in the document when none is given) are let through; so is a new value
 * for an attribute key the update does not name (it overwrites an existing value: only with `doc`
 * is the key known). Cost: one `Y.decodeUpdate` plus a map lookup per item, no copy of the document.
 */
export function checkUpdateContent(update: Uint8Array, options: ContentCheckOptions = {}): string | null {
  const doc = options.doc ?? null;
  const field = options.field ?? CONTENT_FIELD;
  const schema = options.schema ?? null;
  const rules = options.attributeRules ?? EDITOR_ATTRIBUTE_RULES;
  doc?.getXmlFragment(field); // make sure the root is known as a fragment, as the editor defines it
  const structs = options.decodedStructs ?? Y.decodeUpdate(update).structs;
  const items = structs.filter((struct): struct is Y.Item => struct instanceof Y.Item);
  const itemsByClient = new Map<number, Y.Item[]>();
  for (const item of items) {
    const list = itemsByClient.get(item.id.client) ?? [];
    list.push(item);
    itemsByClient.set(item.id.client, list);
  }

  const findInUpdate = (id: Y.ID): Y.Item | undefined => {
    const list = itemsByClient.get(id.client);
    if (!list) return undefined;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const item = list[mid];
      if (id.clock < item.id.clock) high = mid - 1;
      else if (id.clock >= item.id.clock + item.length) low = mid + 1;
      else return item;
    }
    return undefined;
  };

  const findInDocument = (id: Y.ID): Y.Item | Y.GC | undefined => {
    if (!doc || id.clock >= Y.getState(doc.store, id.client)) return undefined;
    return Y.getItem(doc.store, id) as Y.Item | Y.GC;
  };

  const placements = new Map<Y.Item, Placement>();
  let enclosingLookups = 0;

  /** Kind and node type of the item with this id, named as an explicit parent. */
  const typeOf = (id: Y.ID): { kind: ParentKind; node: string | null } => {
    const struct = findInDocument(id) ?? findInUpdate(id);
    if (struct === undefined || struct instanceof Y.GC) return { kind: 'unknown', node: null };
    // A type deleted (here or by the update) whose content is gone: yjs drops what is written into
    // it, as it drops what sits next to a garbage-collected item. An honest client writes there when
    // someone else deleted the paragraph it was typing in (or it undid a change inside it).
    if (struct.content instanceof Y.ContentDeleted) return { kind: 'unknown', node: null };
    if (!(struct.content instanceof Y.ContentType)) return { kind: 'not-a-type', node: null };
    if (findInDocument(id) !== undefined) return describeType(struct.content.type);
    const kind = kindOfType(struct.content.type);
    if (kind === 'element') return { kind, node: (struct.content.type as Y.XmlElement).nodeName };
    if (kind === 'text' && enclosingLookups === 0) {
      // A text node created by the update: the element holding it (one level, no deeper).
      enclosingLookups++;
      try {
        const holder = placementOf(struct);
        return { kind, node: holder.kind === 'element' && holder.key === null ? holder.node : null };
      } finally {
        enclosingLookups--;
      }
    }
    return { kind, node: null };
  };

  /** Placement of an update item, resolving chains of origins within the update iteratively. */
  const placementOf = (start: Y.Item): Placement => {
    const chain: Y.Item[] = [];
    const visited = new Set<Y.Item>();
    let current: Y.Item | undefined = start;
    let resolved: Placement | undefined;
    while (current && resolved === undefined) {
      const known = placements.get(current);
      if (known) {
        resolved = known;
        break;
      }
      const parent = current.parent as unknown;
      if (typeof parent === 'string') {
        resolved = { kind: parent === field ? 'fragment' : 'other', key: current.parentSub, node: null };
      } else if (parent instanceof Y.ID) {
        resolved = { ...typeOf(parent), key: current.parentSub };
      } else {
        const neighbour = current.origin ?? current.rightOrigin;
        if (neighbour === null) {
          resolved = UNKNOWN;
          break;
        }
        const inDocument = findInDocument(neighbour);
        if (inDocument instanceof Y.Item) {
          resolved = inDocument.parent ? { ...describeType(inDocument.parent), key: inDocument.parentSub } : UNKNOWN;
        } else if (inDocument instanceof Y.GC) {
          resolved = UNKNOWN;
        } else {
          const inUpdate = findInUpdate(neighbour);
          if (!inUpdate || visited.has(inUpdate) || inUpdate === current) {
            resolved = UNKNOWN;
          } else {
            chain.push(current);
            visited.add(current);
            current = inUpdate;
            continue;
          }
        }
      }
      chain.push(current);
    }
    const result = resolved ?? UNKNOWN;
    for (const item of chain) placements.set(item, result);
    return result;
  };

  for (const item of items) {
    const placement = placementOf(item);
    const reason = misplacement(item, placement) ?? (schema ? schemaViolation(item, placement, schema, rules) : null);
    if (reason) return `item ${item.id.client}:${item.id.clock}: ${reason}`;
  }
  return null;
}

/** y-prosemirror's mark attribute names: `bold`, or `comment--<hash>` for marks that may overlap. */
const HASHED_MARK_NAME = /^(.*)--[a-zA-Z0-9+/=]{8}$/;

function article(nodeName: string): string {
  return /^[aeiou]/i.test(nodeName) ? `an ${nodeName}` : `a ${nodeName}`;
}

function valueOf(content: Y.Item['content']): { ok: true; value: unknown } | { ok: false } {
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) {
    const values = content.getContent();
    return { ok: true, value: values[values.length - 1] };
  }
  if (content instanceof Y.ContentString) return { ok: true, value: content.str };
  return { ok: false };
}

function checkAttribute(rule: AttributeRule | undefined, key: string, value: unknown, owner: string): string | null {
  if (rule === undefined) return `${owner} has no attribute "${key.slice(0, 64)}"`;
  return rule(value);
}

/**
 * What breaks the schema about one item, or null. Expects `misplacement` to have passed. What the
 * item carries itself (an element's name, a mark and its attributes, a new attribute's key) is
 * checked even when its parent is unknown; what depends on the parent only when it is known.
 */
function schemaViolation(item: Y.Item, placement: Placement, schema: Schema, rules: typeof EDITOR_ATTRIBUTE_RULES): string | null {
  const content = item.content;
  if (content instanceof Y.ContentDeleted) return null;
  const key = placement.key ?? (placement.kind === 'unknown' ? item.parentSub : null);
  if (key !== null) {
    if (placement.kind === 'fragment') return 'the document has no attributes';
    if (placement.kind === 'text') return 'a text node has no attributes';
    const value = valueOf(content);
    if (!value.ok) return `attribute "${key.slice(0, 64)}" must hold a plain value`;
    if (placement.kind === 'unknown') return attributeOfSomeNode(key, value.value, schema, rules);
    const node = placement.node as string;
    if (!(node in schema.nodes)) return null; // the element itself was refused when it was created
    const nodeRules = rules.nodes[node] ?? {};
    return checkAttribute(schema.nodes[node].spec.attrs?.[key] ? nodeRules[key] : undefined, key, value.value, article(node));
  }
  if (content instanceof Y.ContentType) {
    const parentType = placement.kind === 'fragment' ? schema.topNodeType : placement.node !== null ? schema.nodes[placement.node] : undefined;
    if (content.type instanceof Y.XmlElement) {
      const name = content.type.nodeName;
      const type = schema.nodes[name];
      if (!type || type === schema.topNodeType || type.isText) return `"${name.slice(0, 64)}" is not a node type of the editor`;
      if (parentType && !allowedChildTypes(parentType).has(name)) return `${article(parentType.name)} cannot hold ${article(name)}`;
      return null;
    }
    if (parentType && !allowedChildTypes(parentType).has('text')) return `${article(parentType.name)} cannot hold text`;
    return null;
  }
  if (content instanceof Y.ContentFormat) {
    const name = schema.marks[content.key] ? content.key : HASHED_MARK_NAME.exec(content.key)?.[1];
    const markType = name === undefined ? undefined : schema.marks[name];
    if (!markType) return `"${content.key.slice(0, 64)}" is not a mark of the editor`;
    const holder = placement.kind === 'text' && placement.node !== null ? schema.nodes[placement.node] : undefined;
    if (holder && !holder.allowsMarkType(markType)) return `${article(holder.name)} cannot hold the mark "${markType.name}"`;
    // null ends the mark; plain Yjs clients (Quill-style) write `true` for a mark without attributes
    const value = content.value === true ? {} : (content.value as unknown);
    if (value === null) return null;
    if (typeof value !== 'object' || Array.isArray(value)) return `the mark "${markType.name}" must have an object of attributes`;
    const markRules = rules.marks[markType.name] ?? {};
    const attrs = value as Record<string, unknown>;
    for (const attr of Object.keys(attrs)) {
      if (!markType.spec.attrs?.[attr]) return `the mark "${markType.name}" has no attribute "${attr.slice(0, 64)}"`;
    }
    for (const [attr, rule] of Object.entries(markRules)) {
      const reason = rule(attr in attrs ? attrs[attr] : (markType.spec.attrs?.[attr]?.default ?? null));
      if (reason) return reason;
    }
    return null;
  }
  return null;
}

/** For an attribute whose element is not known: some node has it, and the value suits one of them. */
function attributeOfSomeNode(key: string, value: unknown, schema: Schema, rules: typeof EDITOR_ATTRIBUTE_RULES): string | null {
  let reason: string | null = `no node of the editor has an attribute "${key.slice(0, 64)}"`;
  for (const type of Object.values(schema.nodes)) {
    const rule = type.spec.attrs?.[key] ? rules.nodes[type.name]?.[key] : undefined;
    if (!rule) continue;
    reason = rule(value);
    if (reason === null) return null;
  }
  return reason;
}

function misplacement(item: Y.Item, placement: Placement): string | null {
  const content = item.content;
  if (content instanceof Y.ContentDeleted) return null;
  switch (placement.kind) {
    case 'unknown':
      return null;
    case 'not-a-type':
      return 'its parent is not a shared type';
    case 'other':
      return 'it is written outside the content fragment';
    default:
      break;
  }
  if (content instanceof Y.ContentDoc) return 'subdocuments are not allowed';
  if (placement.key !== null) {
    return content instanceof Y.ContentType ? 'an attribute cannot hold a shared type' : null;
  }
  if (placement.kind === 'text') {
    return content instanceof Y.ContentString || content instanceof Y.ContentFormat ? null : 'a text node can only hold text and marks';
  }
  const childKind = content instanceof Y.ContentType ? kindOfType(content.type) : null;
  if (placement.kind === 'fragment') {
    return childKind === 'element' ? null : 'only elements can be children of the document';
  }
  return childKind === 'element' || childKind === 'text' ? null : 'only elements and text can be children of a node';
}
