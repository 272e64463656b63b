/**
 * The protocol backends behind one interface (types.ts): `createBackend(session, level)`
 * gives the strict (authenticated) or fast (semi-honest) implementation.
 */
export { type Backend, DEVIATION_MESSAGE, type InputBounds, PROTECTION_LEVELS, type ProtectionLevel, type PublicOperand, type Shared, type SharedBits, type WidthOption } from './types.ts';
export { FastBackend, OUT_OF_RANGE_MESSAGE, createFastBackend, secureAny } from './fast.ts';
export { anyOne, ltPublic, truncateByBits } from './generic.ts';
export { StrictBackend, createStrictBackend } from './strict/strict.ts';

import type { SessionOt } from '../ot/ot-setup.ts';
import type { Session } from '../session/session.ts';
import type { TripleSource } from '../triples/types.ts';
import { createFastBackend } from './fast.ts';
import { createStrictBackend } from './strict/strict.ts';
import type { Backend, ProtectionLevel } from './types.ts';

/**
 * The backend for a protection level; `triples` feeds the fast backend (strict makes its own,
 * on `strictOt` when an OT setup was prepared before Start).
 */
export function createBackend(s: Session, level: ProtectionLevel, triples: () => TripleSource, strictOt?: SessionOt): Backend {
  return level === 'strict' ? createStrictBackend(s, strictOt) : createFastBackend(s, triples());
}
