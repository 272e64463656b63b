/**
 * The protocol backends behind one interface (types.ts): `createBackend(session, level)`
 * gives the strict (authenticated) or fast (semi-honest) implementation.
 */
export { type Backend, DEVIATION_MESSAGE, type InputBounds, PROTECTION_LEVELS, type ProtectionLevel, type PublicOperand, type Shared, type SharedBits, type WidthOption } from './types.ts';
export { FastBackend, OUT_OF_RANGE_MESSAGE, createFastBackend, secureAny } from './fast.ts';
export { anyOne, truncateByBits } from './generic.ts';
