/**
 * Faster arithmetic under @divviup/prio3, one call per instance: `accelerate(new Prio3Sum(…))`.
 * The instance keeps the library's Prio3, FLP, circuit and gadget code; two things they call
 * are swapped for equivalents that return the same values:
 * - the circuit's field, for the library's own Field128 subclassed (fast-field.ts);
 * - the XOF class, for the library's own XofTurboShake128 subclassed with a bulk
 *   `expandIntoVec` (prio3-codec.ts `expandStream`: one squeeze for the whole vector instead
 *   of one awaited 16-byte squeeze and a `256n ** i` sum per element).
 * Why: they were most of a report's preparation time (fast-field.ts). What proves the swap
 * changes nothing: vdaf-vectors.test.ts runs the draft's vectors through accelerated
 * instances (sharding, preparation, aggregation byte for byte) and fast-field.test.ts
 * compares each field method with the library's.
 */
import type { Prio3 } from '@divviup/prio3';
import { fastField128, isField128, type LibField } from './fast-field';
import { expandStream } from './prio3-codec';

type AnyPrio3 = Prio3<unknown, unknown>;
type XofClass = AnyPrio3['xof'];

const fastXofs = new WeakMap<XofClass, XofClass>();
const ACCELERATED = Symbol('parley accelerated');

function fastXof(Base: XofClass): XofClass {
  let made = fastXofs.get(Base);
  if (!made) {
    const Xof = Base as unknown as { new (seed: Uint8Array, dst: Uint8Array, binder: Uint8Array): object; seedSize: number };
    made = class FastXof extends Xof {
      static expandIntoVec(field: LibField, seed: Uint8Array, dst: Uint8Array, binder: Uint8Array, length: number): Promise<bigint[]> {
        return expandStream(Base, field.modulus, field.encodedSize, seed, dst, binder, length);
      }
    } as unknown as XofClass;
    fastXofs.set(Base, made);
  }
  return made;
}

/** Swap in the faster field (Field128 circuits only) and XOF; returns the same instance. */
export function accelerate<V>(vdaf: V): V {
  const v = vdaf as unknown as AnyPrio3 & { [ACCELERATED]?: true; xof: XofClass; flp: { circuit?: { field: LibField } } };
  if (v[ACCELERATED]) return vdaf;
  const circuit = v.flp.circuit;
  if (circuit && isField128(circuit.field)) circuit.field = fastField128(circuit.field);
  (v as { xof: XofClass }).xof = fastXof(v.xof);
  v[ACCELERATED] = true;
  return vdaf;
}
