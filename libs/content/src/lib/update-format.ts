import * as decoding from 'lib0/decoding';

/**
 * A bounded, side-effect-free reader for the Yjs update format v1 (the format `Y.applyUpdate`,
 * y-protocols and y-websocket use).
 *
 * Why not just `Y.decodeUpdate` in a try/catch? yjs trusts its input: counts drive `new Array(n)`,
 * `readAny` recurses without limit, unknown content/type refs become `TypeError`s deep inside the
 * library, and older lib0 versions looped forever at the end of the input (yjs#479, #498). This
 * reader checks every count and length against the bytes that remain, bounds every loop by the
 * input size, limits nesting, and rejects what no yjs encoder produces (zero-length structs,
 * references to a client's own future clocks, trailing bytes). Every well-formed update written by
 * yjs 13 (`encodeStateAsUpdate`, transaction updates, `mergeUpdates`, `diffUpdate`) is accepted.
 */

/** Raised for any byte sequence that is not a well-formed update v1. */
export class UpdateFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpdateFormatError';
  }
}

/** The kinds of struct an update v1 can carry (the low five bits of a struct's info byte). */
export type StructKind =
  | 'gc'
  | 'deleted'
  | 'json'
  | 'binary'
  | 'string'
  | 'embed'
  | 'format'
  | 'type'
  | 'any'
  | 'doc'
  | 'skip';

/** A run of consecutive clocks of one client carried by one struct. */
export interface StructRange {
  readonly client: number;
  readonly clock: number;
  readonly length: number;
  readonly kind: StructKind;
}

export interface DeleteRange {
  readonly client: number;
  readonly clock: number;
  readonly length: number;
}

export interface ParsedUpdate {
  /** Structs in encoding order (clients in descending id order when written by yjs). */
  readonly structs: readonly StructRange[];
  readonly deletes: readonly DeleteRange[];
  /** Names of the root types the update's items explicitly name as their parent. */
  readonly rootTypeNames: ReadonlySet<string>;
  /** The kinds of shared type the update creates (as nested types). */
  readonly nestedTypes: ReadonlySet<YTypeName>;
}

export type YTypeName = 'YArray' | 'YMap' | 'YText' | 'YXmlElement' | 'YXmlFragment' | 'YXmlHook' | 'YXmlText';

/** Deepest nesting accepted inside `Any`-encoded and JSON-encoded values. */
export const MAX_VALUE_DEPTH = 64;

const CONTENT_KINDS: readonly StructKind[] = [
  'gc',
  'deleted',
  'json',
  'binary',
  'string',
  'embed',
  'format',
  'type',
  'any',
  'doc',
  'skip',
];

/** yjs's `typeRefs`, in the order of their numbers in the format. */
const TYPE_REFS: readonly YTypeName[] = ['YArray', 'YMap', 'YText', 'YXmlElement', 'YXmlFragment', 'YXmlHook', 'YXmlText'];
const TYPE_REF_XML_ELEMENT = 3;
const TYPE_REF_XML_HOOK = 5;

const BIT6 = 32;
const BIT7 = 64;
const BIT8 = 128;
const BITS5 = 31;

class BoundedReader {
  private readonly decoder: decoding.Decoder;

  constructor(private readonly bytes: Uint8Array) {
    this.decoder = decoding.createDecoder(bytes);
  }

  get remaining(): number {
    return this.bytes.length - this.decoder.pos;
  }

  uint8(what: string): number {
    this.need(1, what);
    return decoding.readUint8(this.decoder);
  }

  varUint(what: string): number {
    this.need(1, what);
    try {
      return decoding.readVarUint(this.decoder);
    } catch {
      throw new UpdateFormatError(`${what}: truncated or out-of-range variable-length integer`);
    }
  }

  varInt(what: string): number {
    this.need(1, what);
    try {
      return decoding.readVarInt(this.decoder);
    } catch {
      throw new UpdateFormatError(`${what}: truncated or out-of-range variable-length integer`);
    }
  }

  /** A count of items that each take at least `minBytesEach` bytes of what remains. */
  count(what: string, minBytesEach: number): number {
    const n = this.varUint(what);
    if (n * minBytesEach > this.remaining) {
      throw new UpdateFormatError(`${what}: ${n} entries cannot fit in ${this.remaining} remaining bytes`);
    }
    return n;
  }

  bytesOfVarLength(what: string): Uint8Array {
    const n = this.varUint(`${what} length`);
    this.need(n, what);
    return decoding.readUint8Array(this.decoder, n);
  }

  varString(what: string): string {
    const start = this.decoder.pos;
    const n = this.varUint(`${what} length`);
    this.need(n, what);
    // Re-read through lib0 so that the decoded string (and its UTF-16 length, which yjs uses as
    // the clock length of string content) is exactly what yjs will see.
    this.decoder.pos = start;
    return decoding.readVarString(this.decoder);
  }

  fixed(n: number, what: string): void {
    this.need(n, what);
    this.decoder.pos += n;
  }

  private need(n: number, what: string): void {
    if (n > this.remaining) {
      throw new UpdateFormatError(`${what}: needs ${n} bytes, ${this.remaining} remain (truncated update)`);
    }
  }
}

function checkedAdd(clock: number, length: number, what: string): number {
  const end = clock + length;
  if (!Number.isSafeInteger(end)) {
    throw new UpdateFormatError(`${what}: clock range overflows`);
  }
  return end;
}

/** Skips one lib0 `Any` value (the encoding of `decoding.readAny`), iteratively, depth-bounded. */
function skipAnyValue(reader: BoundedReader, what: string): void {
  // Each stack entry counts the values still to read at that depth.
  const pending: number[] = [1];
  // Maps need a key before each value; track which depths are maps.
  const isMap: boolean[] = [false];
  while (pending.length > 0) {
    const top = pending.length - 1;
    if (pending[top] === 0) {
      pending.pop();
      isMap.pop();
      continue;
    }
    pending[top]--;
    if (isMap[top]) {
      reader.varString(`${what} object key`);
    }
    const tag = reader.uint8(`${what} value tag`);
    switch (tag) {
      case 127: // undefined
      case 126: // null
      case 121: // false
      case 120: // true
        break;
      case 125:
        reader.varInt(`${what} integer`);
        break;
      case 124:
        reader.fixed(4, `${what} float32`);
        break;
      case 123:
      case 122:
        reader.fixed(8, `${what} float64/bigint`);
        break;
      case 119:
        reader.varString(`${what} string`);
        break;
      case 118: // object: n × (key, value)
      case 117: {
        // array: n × value
        const n = reader.count(`${what} ${tag === 118 ? 'object size' : 'array length'}`, tag === 118 ? 2 : 1);
        if (pending.length >= MAX_VALUE_DEPTH) {
          throw new UpdateFormatError(`${what}: value nested deeper than ${MAX_VALUE_DEPTH}`);
        }
        pending.push(n);
        isMap.push(tag === 118);
        break;
      }
      case 116:
        reader.bytesOfVarLength(`${what} bytes`);
        break;
      default:
        throw new UpdateFormatError(`${what}: unknown value tag ${tag}`);
    }
  }
}

/** Reads a lib0 `Any` value and returns it (used where yjs interprets the value). */
function readAnyValue(reader: BoundedReader, bytes: Uint8Array, what: string): unknown {
  // Validate first with the bounded skipper, then let lib0 decode the same bytes.
  const start = bytes.length - reader.remaining;
  skipAnyValue(reader, what);
  const decoder = decoding.createDecoder(bytes.subarray(start, bytes.length - reader.remaining));
  return decoding.readAny(decoder);
}

function jsonDepth(value: unknown): number {
  let maxDepth = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current !== null && typeof current === 'object') {
      if (depth > maxDepth) maxDepth = depth;
      if (maxDepth > MAX_VALUE_DEPTH) return maxDepth;
      for (const child of Object.values(current)) stack.push([child, depth + 1]);
    }
  }
  return maxDepth;
}

function checkJson(text: string, what: string, allowUndefined: boolean): void {
  if (allowUndefined && text === 'undefined') return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UpdateFormatError(`${what}: not valid JSON`);
  }
  if (jsonDepth(value) > MAX_VALUE_DEPTH) {
    throw new UpdateFormatError(`${what}: JSON nested deeper than ${MAX_VALUE_DEPTH}`);
  }
}

interface ItemIdRef {
  client: number;
  clock: number;
}

function readId(reader: BoundedReader, what: string): ItemIdRef {
  return { client: reader.varUint(`${what} client`), clock: reader.varUint(`${what} clock`) };
}

/** Reads an item's content; returns its length in clocks. */
function readContentLength(
  reader: BoundedReader,
  bytes: Uint8Array,
  kind: StructKind,
  what: string,
  nestedTypes: Set<YTypeName>,
): number {
  switch (kind) {
    case 'deleted':
      return reader.varUint(`${what} deleted length`);
    case 'json': {
      const n = reader.count(`${what} json length`, 1);
      for (let i = 0; i < n; i++) checkJson(reader.varString(`${what} json`), `${what} json`, true);
      return n;
    }
    case 'binary':
      reader.bytesOfVarLength(`${what} binary`);
      return 1;
    case 'string':
      return reader.varString(`${what} string`).length;
    case 'embed':
      checkJson(reader.varString(`${what} embed`), `${what} embed`, false);
      return 1;
    case 'format':
      reader.varString(`${what} format key`);
      checkJson(reader.varString(`${what} format value`), `${what} format value`, false);
      return 1;
    case 'type': {
      const typeRef = reader.varUint(`${what} type ref`);
      const typeName = TYPE_REFS[typeRef];
      if (typeName === undefined) {
        throw new UpdateFormatError(`${what}: unknown type ref ${typeRef}`);
      }
      nestedTypes.add(typeName);
      if (typeRef === TYPE_REF_XML_ELEMENT || typeRef === TYPE_REF_XML_HOOK) {
        reader.varString(`${what} node name`);
      }
      return 1;
    }
    case 'any': {
      const n = reader.count(`${what} any length`, 1);
      for (let i = 0; i < n; i++) skipAnyValue(reader, `${what} any`);
      return n;
    }
    case 'doc': {
      reader.varString(`${what} subdocument guid`);
      const options = readAnyValue(reader, bytes, `${what} subdocument options`);
      if (options === null || typeof options !== 'object') {
        throw new UpdateFormatError(`${what}: subdocument options must be an object`);
      }
      return 1;
    }
    default:
      throw new UpdateFormatError(`${what}: struct kind ${kind} cannot be item content`);
  }
}

let parseCount = 0;

/**
 * How many times `parseUpdateV1` ran in this process: the seam by which tests prove that a received
 * update is parsed once on its way from the socket to the store (one integer increment per parse).
 */
export function updateParseCount(): number {
  return parseCount;
}

/**
 * Parses an update v1 completely and returns the clock ranges it carries and deletes. Throws
 * `UpdateFormatError` with a human-readable reason for anything malformed. Runs in time linear in
 * the input size and never allocates more than a constant factor of it.
 */
export function parseUpdateV1(bytes: Uint8Array): ParsedUpdate {
  parseCount += 1;
  if (!(bytes instanceof Uint8Array)) {
    throw new UpdateFormatError('update is not a Uint8Array');
  }
  if (bytes.length === 0) {
    throw new UpdateFormatError('update is empty (zero bytes)');
  }
  const reader = new BoundedReader(bytes);
  const structs: StructRange[] = [];
  const rootTypeNames = new Set<string>();
  const nestedTypes = new Set<YTypeName>();
  const seenClients = new Set<number>();

  // Each client section needs at least: struct count, client, clock (3 bytes).
  const clientSections = reader.count('number of client sections', 3);
  for (let section = 0; section < clientSections; section++) {
    // Each struct takes at least two bytes (info + length or content).
    const structCount = reader.count('number of structs', 2);
    const client = reader.varUint('client id');
    if (seenClients.has(client)) {
      throw new UpdateFormatError(`client ${client} appears in two struct sections`);
    }
    seenClients.add(client);
    let clock = reader.varUint('first clock');
    for (let i = 0; i < structCount; i++) {
      const what = `struct ${client}:${clock}`;
      const info = reader.uint8(`${what} info`);
      const kind = CONTENT_KINDS[info & BITS5];
      if (kind === undefined) {
        throw new UpdateFormatError(`${what}: unknown struct kind ${info & BITS5}`);
      }
      let length: number;
      if (kind === 'gc' || kind === 'skip') {
        length = reader.varUint(`${what} length`);
      } else {
        const refs: ItemIdRef[] = [];
        if (info & BIT8) refs.push(readId(reader, `${what} origin`));
        if (info & BIT7) refs.push(readId(reader, `${what} right origin`));
        if ((info & (BIT7 | BIT8)) === 0) {
          const parentInfo = reader.varUint(`${what} parent info`);
          if (parentInfo === 1) {
            rootTypeNames.add(reader.varString(`${what} root type name`));
          } else if (parentInfo === 0) {
            refs.push(readId(reader, `${what} parent`));
          } else {
            throw new UpdateFormatError(`${what}: invalid parent info ${parentInfo}`);
          }
          if (info & BIT6) reader.varString(`${what} parent key`);
        }
        for (const ref of refs) {
          // A client's clock only grows: its own items can only point back in time.
          if (ref.client === client && ref.clock >= clock) {
            throw new UpdateFormatError(`${what}: refers to its own client's future clock ${ref.clock}`);
          }
        }
        length = readContentLength(reader, bytes, kind, what, nestedTypes);
      }
      if (length === 0) {
        throw new UpdateFormatError(`${what}: zero-length ${kind} struct`);
      }
      structs.push({ client, clock, length, kind });
      clock = checkedAdd(clock, length, what);
    }
  }

  const deletes: DeleteRange[] = [];
  // Each delete-set client needs at least: client, count (2 bytes).
  const deleteClients = reader.count('number of delete-set clients', 2);
  for (let c = 0; c < deleteClients; c++) {
    const client = reader.varUint('delete-set client id');
    const ranges = reader.count('number of delete ranges', 2);
    for (let i = 0; i < ranges; i++) {
      const clock = reader.varUint('delete clock');
      const length = reader.varUint('delete length');
      checkedAdd(clock, length, `delete ${client}:${clock}`);
      if (length === 0) {
        // yjs never writes one, and re-encoding it as a pending delete throws inside yjs
        throw new UpdateFormatError(`delete ${client}:${clock}: zero-length delete range`);
      }
      deletes.push({ client, clock, length });
    }
  }

  if (reader.remaining !== 0) {
    throw new UpdateFormatError(`${reader.remaining} unexpected bytes after the delete set`);
  }
  return { structs, deletes, rootTypeNames, nestedTypes };
}
