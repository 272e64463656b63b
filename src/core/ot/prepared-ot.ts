/**
 * OT setups prepared before Start (issue 19): the base OTs of both protection levels
 * (setupOt 'semi-honest' for the fast backend and PSI, 'malicious' for strict) run over a
 * preparation session as soon as the roster is stable, and a later run takes them instead
 * of running setupOt itself.
 *
 * Security: one prepared setup is one fresh setupOt, so it must serve exactly one run of
 * exactly the roster it was made with — reusing its Δ and extension counters in a second run
 * would repeat correlations. Hence: `take` deletes on first use (whatever the run then
 * does), a prep id can be prepared only once per store (a replayed announcement is refused),
 * a roster mismatch discards, and `discard` (roster change) drops everything. Before using
 * it, every party of the run says which prep it holds (`choosePrepared`, one round); only if
 * all name the same one is it used, else everybody sets up afresh — a mismatch costs time,
 * never a wrong result. The run digest then names the choice, so a party that told different
 * peers different things makes the run abort (SPEC_MISMATCH) rather than diverge.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { MpcError } from '../errors.ts';
import { Protocol } from '../session/round.ts';
import type { Session } from '../session/session.ts';
import { setupOt, type OtSecurity, type SessionOt } from './ot-setup.ts';
import { createTripleSource } from '../triples/triple-source.ts';
import type { ArithTriples, BitTriples } from '../triples/types.ts';

/** AND / arithmetic triples made during the prep on the semi-honest setup (fast runs only). */
export interface PreparedTriples {
  readonly bits?: BitTriples;
  readonly arith?: ArithTriples;
}

/**
 * Both setups a run might need (which one depends on its spec, known only at Start), and
 * the fast backend's triples for the spec the room showed while preparing, if any.
 */
export type PreparedSetups = Readonly<Record<OtSecurity, SessionOt>> & { readonly triples?: PreparedTriples };

/** How many triples to prepare (AND-triple words, arithmetic triples); 0 for none. */
export interface TripleWish {
  bits: number;
  arith: number;
}

interface Entry {
  readonly roster: string;
  readonly setups: PreparedSetups;
}

const TAG_BYTES = 32;
const NONE = new Uint8Array(TAG_BYTES);

/** The public tag a party announces for the prep it holds (prep ids are public random ids). */
export const prepTag = (prepId: string): Uint8Array => sha256(utf8ToBytes(`parley/prep\u0000${prepId}`));

const PREP_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A tab's (or Node party's) prepared setups, by prep id; each usable once. */
export class PrepStore {
  private readonly ready = new Map<string, Entry>();
  /** Every prep id this store has begun: never prepared twice. Bounded by how often a roster changes. */
  private readonly begun = new Set<string>();

  /** Claim `prepId` for a preparation; refuses an id seen before (replay or reuse). */
  begin(prepId: string): void {
    // The id is folded into the run digest as `${nonce}\0prep:${id}`: a separator inside it
    // would let two different choices share one digest (review, prepared-ot-review.test.ts).
    if (!PREP_ID.test(prepId)) throw new MpcError('INVALID_ARGUMENT', 'a prep id must be 1–64 characters of A–Z, a–z, 0–9, _ or -');
    if (this.begun.has(prepId)) throw new MpcError('INVALID_ARGUMENT', `prep id ${prepId} was already prepared once; prepared OT state is never reused`);
    this.begun.add(prepId);
  }

  put(prepId: string, roster: string, setups: PreparedSetups): void {
    if (!this.begun.has(prepId)) throw new MpcError('INVALID_ARGUMENT', `prep id ${prepId} was not begun`);
    // A run uses one prep: keep only the newest, so a host announcing prep after prep cannot
    // make a tab hold base OTs for every one of them.
    this.ready.clear();
    this.ready.set(prepId, { roster, setups });
  }

  /** Whether `prepId` is ready for exactly `roster`. */
  has(prepId: string, roster: string): boolean {
    return this.ready.get(prepId)?.roster === roster;
  }

  /** The prepared setups, deleted on this first use; undefined (and deleted) on a roster mismatch. */
  take(prepId: string, roster: string): PreparedSetups | undefined {
    const e = this.ready.get(prepId);
    this.ready.delete(prepId);
    return e?.roster === roster ? e.setups : undefined;
  }

  /** The roster changed (or the tab leaves): drop every prepared setup. */
  discard(): void {
    this.ready.clear();
  }

  get size(): number {
    return this.ready.size;
  }
}

/**
 * Run over a preparation session of the stable roster: both setups, one after the other
 * (every party in the same order, so round ids agree), then — if every party wishes the
 * same non-zero amount (one round; tabs that saw different specs simply skip it) — that many
 * triples on the semi-honest setup, all stored under `prepId`. The triples extend the same
 * setup the run will extend further: the extension counters move on, nothing repeats.
 */
export async function prepareOt(s: Session, store: PrepStore, prepId: string, roster: string, wish: TripleWish = { bits: 0, arith: 0 }): Promise<void> {
  store.begin(prepId);
  const semiHonest = await setupOt(s, { security: 'semi-honest' });
  const malicious = await setupOt(s, { security: 'malicious' });
  const triples = await prepareTriples(s, semiHonest, wish);
  store.put(prepId, roster, { 'semi-honest': semiHonest, malicious, ...(triples ? { triples } : {}) });
}

async function prepareTriples(s: Session, ot: SessionOt, wish: TripleWish): Promise<PreparedTriples | undefined> {
  const mine = new Uint8Array(8);
  const view = new DataView(mine.buffer);
  view.setUint32(0, wish.bits);
  view.setUint32(4, wish.arith);
  const got = await s.exchange(s.round(Protocol.Prep, s.nextInstance(Protocol.Prep), 0), () => mine, 8);
  const agreed = s.others.every((p) => got.get(p)!.every((b, i) => b === mine[i]));
  if (!agreed || (wish.bits === 0 && wish.arith === 0)) return undefined;
  const source = createTripleSource(s, { ot });
  const bits = wish.bits > 0 ? await source.bits(wish.bits) : undefined;
  const arith = wish.arith > 0 ? await source.arith(wish.arith) : undefined;
  return { bits, arith };
}

/**
 * One round at the start of a run: every party sends the tag of the prep it holds for this
 * roster (zeros for none). Returns the prep id (taken out of the store) if all tags equal
 * ours, else undefined after discarding ours — the run then sets up afresh.
 */
export async function choosePrepared(s: Session, store: PrepStore | undefined, prepId: string | undefined, roster: string): Promise<{ prepId: string; setups: PreparedSetups } | undefined> {
  const mine = prepId !== undefined && store?.has(prepId, roster) ? prepTag(prepId) : NONE;
  const got = await s.exchange(s.round(Protocol.Prep, s.nextInstance(Protocol.Prep), 0), () => mine, TAG_BYTES);
  const setups = prepId !== undefined ? store?.take(prepId, roster) : undefined;
  const agreed = mine !== NONE && s.others.every((p) => got.get(p)!.every((b, i) => b === mine[i]));
  return agreed && setups && prepId !== undefined ? { prepId, setups } : undefined;
}
