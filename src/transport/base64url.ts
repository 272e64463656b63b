/** Canonical base64url lives in src/core (survey code in core needs it too); re-exported here for transport. */
export { decodeBase64url, encodeBase64url } from '../core/base64url.ts';
