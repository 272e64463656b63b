/**
 * Sensible starting specs for each computation, so a host can pick one and go. Each
 * computation declares its own default in the registry (src/core/computations); switching
 * computation keeps the input rules (decimals, bounds, minimum participants) that still apply.
 */
import { computationFor } from '../../../core/computations/registry';
import type { Computation, RoomSpec } from './room-protocol';

export { DEFAULT_BOUNDS } from '../../../core/computations/registry-numbers';

export const defaultSpec = (kind: Computation, previous?: RoomSpec): RoomSpec => computationFor(kind).defaultSpec(previous) as RoomSpec;
