/**
 * Checksums of fixture data: SHA-256 over the raw bytes of typed arrays, shortened to 16 hex
 * characters (enough to tell fixtures apart, short enough to read in a report).
 */
import { createHash } from 'node:crypto';

/** Hashes the bytes of each view in order. */
export function checksumOf(...views: ArrayBufferView[]): string {
  const hash = createHash('sha256');
  for (const v of views) hash.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  return hash.digest('hex').slice(0, 16);
}
