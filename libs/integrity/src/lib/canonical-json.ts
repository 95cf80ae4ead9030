import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation: the same value always gives the same
 * string, whatever the key order it was built with. Hashes are taken over these bytes.
 *
 * Every stored event's metadata is a flat object of strings, numbers and booleans, and its hash
 * covers that object's canonical JSON: `npm run verify` canonicalises it once per event. Such an
 * object is serialised here directly — its keys sorted by UTF-16 code units and each member
 * written by JSON.stringify, exactly as the `canonicalize` library does — without the library's
 * recursion and string reductions (measured: a third of the library's time on the metadata of a
 * content update). Anything else, and any number JCS refuses, goes to the library. A randomised
 * spec holds the two equal.
 */
export function canonicalJson(value: unknown): string {
  const flat = flatObjectCanonicalJson(value);
  if (flat !== null) return flat;
  const text = canonicalize(value);
  if (text === undefined) {
    throw new TypeError('canonicalJson: value cannot be represented as JSON');
  }
  return text;
}

/** The canonical JSON of a plain object whose members are all strings, finite numbers, booleans or null; null for anything else. */
function flatObjectCanonicalJson(value: unknown, omit?: string): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return null;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    if (key === omit) continue;
    const member = record[key];
    let written: string;
    if (typeof member === 'string') written = jsonString(member);
    else if (typeof member === 'number') {
      if (!Number.isFinite(member)) return null;
      written = JSON.stringify(member);
    } else if (member === undefined) continue;
    else if (member === null || typeof member === 'boolean') written = String(member);
    else return null;
    out += (out.length > 1 ? ',' : '') + jsonString(key) + ':' + written;
  }
  return out + '}';
}

/** Characters JSON.stringify escapes in a string (quote, backslash, controls, lone surrogates among the surrogates). */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what JSON escapes
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify of a string, without the call when nothing in it needs escaping. */
function jsonString(text: string): string {
  return NEEDS_ESCAPING.test(text) ? JSON.stringify(text) : '"' + text + '"';
}

/**
 * The canonical JSON of an event's metadata without one of its members (the hash, which is not
 * hashed), without copying the object.
 */
export function canonicalJsonWithout(value: Record<string, unknown>, omit: string): string {
  const flat = flatObjectCanonicalJson(value, omit);
  if (flat !== null) return flat;
  const copy = { ...value };
  delete copy[omit];
  return canonicalJson(copy);
}
