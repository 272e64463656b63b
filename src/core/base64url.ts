/**
 * Canonical base64url without padding (RFC 4648 §5), for room secrets, room ids and sealed
 * envelopes.
 *
 * Security assumption: decoding is strict — it accepts exactly one spelling per byte string
 * (unused trailing bits must be zero, no padding, no whitespace), so an id or secret cannot
 * be written two ways. Input from the server or the URL is untrusted: `decodeBase64url`
 * returns `undefined` on anything malformed and never throws.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63];
  }
  return out;
}

/** Strict decode; `undefined` for any non-canonical or malformed input. */
export function decodeBase64url(text: string): Uint8Array | undefined {
  const rem = text.length % 4;
  if (rem === 1) return undefined;
  const out = new Uint8Array(Math.floor(text.length / 4) * 3 + (rem === 0 ? 0 : rem - 1));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c] : -1;
    if (v < 0) return undefined;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  // Leftover bits (2 or 4) must be zero, or the same bytes would have several spellings.
  if (acc !== 0) return undefined;
  return out;
}
