import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation: the same value always gives the same
 * string, whatever the key order it was built with. Hashes are taken over these bytes.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) {
    throw new TypeError('canonicalJson: value cannot be represented as JSON');
  }
  return text;
}
