/**
 * base64url for survey messages: the project's one strict codec (../base64url.ts), with a
 * decoder that throws instead of returning undefined, as the survey parsers expect.
 */
import { decodeBase64url, encodeBase64url } from '../base64url.ts';

export const b64urlEncode = encodeBase64url;

export function b64urlDecode(s: string): Uint8Array {
  const bytes = decodeBase64url(s);
  if (!bytes) throw new Error('base64url: malformed or non-canonical');
  return bytes;
}
