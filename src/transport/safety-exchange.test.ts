import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { concatBytes } from '../core/codec.ts';
import { binomialCriticalCount } from '../core/test-stats.test-helpers.ts';
import {
  decodeSafetyMessage,
  encodeSafetyMessage,
  nonceCommitment,
  rosterDigest,
  SAFETY_CODE_WORDS,
  SAFETY_MESSAGE_BYTES,
  safetyDigest,
  SafetyExchange,
  safetyWords,
  type SafetyState,
} from './safety-exchange.ts';
import { SAFETY_WORDS } from './safety-words.ts';

const roomId = 'r'.repeat(43);

interface Tab {
  id: string;
  key: Uint8Array;
  x: SafetyExchange;
  states: SafetyState[];
}

/**
 * N honest tabs over in-memory FIFO links. `deliver()` runs queued messages until none is
 * left (the order between different links is shuffled, as on a real mesh).
 */
function group(n: number) {
  const queue: { from: string; to: string; bytes: Uint8Array }[] = [];
  const tabs: Tab[] = Array.from({ length: n }, (_, i) => {
    const id = `m${i}`;
    const key = randomBytes(32);
    const states: SafetyState[] = [];
    const x = new SafetyExchange({ roomId, publicKey: key, send: (to, bytes) => queue.push({ from: id, to, bytes }), onState: (s) => states.push(s) });
    return { id, key, x, states };
  });
  const byId = new Map(tabs.map((t) => [t.id, t]));
  const errors: string[] = [];
  const deliver = () => {
    while (queue.length) {
      // Pick a random link's oldest message: FIFO per link, any interleaving across links.
      const pick = queue[Math.floor(Math.random() * queue.length)];
      const i = queue.findIndex((m) => m.from === pick.from && m.to === pick.to);
      const [m] = queue.splice(i, 1);
      const err = byId.get(m.to)!.x.receive(m.from, byId.get(m.from)!.key, m.bytes);
      if (err) errors.push(err);
    }
  };
  const connect = (t: Tab, others: Tab[]) => t.x.setPeers(new Map(others.map((o) => [o.id, o.key])));
  return { tabs, deliver, connect, errors };
}

const finalCode = (t: Tab) => (t.x.state.status === 'final' ? t.x.state.code : undefined);

describe('group safety code exchange (honest tabs)', () => {
  for (const n of [2, 3, 5]) {
    it(`N=${n}: every tab ends with the same six words, announced as establishing first`, () => {
      const g = group(n);
      for (const t of g.tabs) g.connect(t, g.tabs.filter((o) => o !== t));
      for (const t of g.tabs) expect(t.x.state.status).toBe('establishing');
      g.deliver();
      expect(g.errors).toEqual([]);
      const codes = new Set(g.tabs.map(finalCode));
      expect(codes.size).toBe(1);
      const words = [...codes][0]!.split(' ');
      expect(words.length).toBe(SAFETY_CODE_WORDS);
      for (const w of words) expect(SAFETY_WORDS).toContain(w);
      for (const t of g.tabs) expect(t.states.map((s) => s.status)).toEqual(['establishing', 'final']);
    });
  }

  it('tabs whose views change at different times converge; a roster change makes a new code, a roster seen before resumes its code', () => {
    const g = group(4);
    const [a, b, c, d] = g.tabs;
    for (const t of [a, b, c]) g.connect(t, [a, b, c].filter((o) => o !== t));
    g.deliver();
    const three = finalCode(a)!;
    expect([b, c].map(finalCode)).toEqual([three, three]);
    // d authenticates with a first; b and c learn of d later (their views lag).
    g.connect(a, [b, c, d]);
    g.connect(d, [a]);
    g.deliver();
    expect(a.x.state).toMatchObject({ status: 'establishing' });
    g.connect(d, [a, b, c]);
    g.connect(b, [a, c, d]);
    g.deliver();
    expect(a.x.state).toMatchObject({ status: 'establishing', waitingFor: [c.id] });
    g.connect(c, [a, b, d]);
    g.deliver();
    expect(g.errors).toEqual([]);
    const four = finalCode(a)!;
    expect(new Set(g.tabs.map(finalCode))).toEqual(new Set([four]));
    expect(four).not.toBe(three);
    // d leaves: the group of three resumes its exchange, so its code is the one compared before.
    for (const t of [a, b, c]) g.connect(t, [a, b, c].filter((o) => o !== t));
    g.deliver();
    expect(g.errors).toEqual([]);
    expect([a, b, c].map(finalCode)).toEqual([three, three, three]);
  });

  it('a tab that misses a peer stays establishing (no code over a partial mesh)', () => {
    const g = group(3);
    const [a, b, c] = g.tabs;
    g.connect(a, [b, c]);
    g.connect(b, [a, c]);
    g.connect(c, [b]); // the a–c link never authenticated on c's side
    g.deliver();
    expect(a.x.state).toMatchObject({ status: 'establishing', waitingFor: [c.id] });
    expect(b.x.state.status).toBe('establishing');
  });
});

describe('group safety code exchange (a peer that deviates)', () => {
  const setup = () => {
    const sent: { to: string; m: ReturnType<typeof decodeSafetyMessage> }[] = [];
    const me = randomBytes(32);
    const peer = randomBytes(32);
    const x = new SafetyExchange({ roomId, publicKey: me, send: (to, b) => sent.push({ to, m: decodeSafetyMessage(b) }), onState: () => undefined });
    x.setPeers(new Map([['p', peer]]));
    const r = rosterDigest(roomId, [me, peer]);
    const nonce = randomBytes(32);
    const commit = (n = nonce) => encodeSafetyMessage({ kind: 'commit', roster: r, commitment: nonceCommitment(roomId, r, peer, n) });
    const reveal = (n = nonce) => encodeSafetyMessage({ kind: 'reveal', roster: r, nonce: n });
    return { x, peer, commit, reveal, sent };
  };

  it('reveals our nonce only after the peer committed, and finishes only on a matching reveal', () => {
    const { x, peer, commit, reveal, sent } = setup();
    expect(sent.map((s) => typeof s.m !== 'string' && s.m.kind)).toEqual(['commit']);
    expect(x.receive('p', peer, commit())).toBeUndefined();
    expect(sent.map((s) => typeof s.m !== 'string' && s.m.kind)).toEqual(['commit', 'reveal']);
    expect(x.receive('p', peer, reveal())).toBeUndefined();
    expect(x.state.status).toBe('final');
  });

  it('refuses a changed commitment, a reveal before the commitment, a reveal that does not open it, a second reveal, and malformed frames', () => {
    let s = setup();
    expect(s.x.receive('p', s.peer, s.reveal())).toMatch(/before committing/);
    s = setup();
    s.x.receive('p', s.peer, s.commit());
    expect(s.x.receive('p', s.peer, s.commit(randomBytes(32)))).toMatch(/changed its safety-code commitment/);
    expect(s.x.receive('p', s.peer, s.reveal(randomBytes(32)))).toMatch(/does not match its commitment/);
    expect(s.x.state.status).toBe('establishing');
    expect(s.x.receive('p', s.peer, s.reveal())).toBeUndefined();
    expect(s.x.receive('p', s.peer, s.commit())).toBeUndefined(); // an identical repeat is harmless
    expect(s.x.receive('p', s.peer, s.reveal(randomBytes(32)))).toMatch(/second safety-code nonce/);
    expect(s.x.receive('p', s.peer, new Uint8Array(3))).toMatch(/expected 65 bytes/);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        const r = decodeSafetyMessage(b);
        return typeof r === 'string' || (b.length === SAFETY_MESSAGE_BYTES && encodeSafetyMessage(r).every((v, i) => v === b[i]));
      }),
      { numRuns: 2000 },
    );
  });

  it('matches a fixed vector (the code is part of the protocol: any change must be deliberate)', () => {
    const k = (b: number) => new Uint8Array(32).fill(b);
    const d = safetyDigest(roomId, [
      { publicKey: k(2), nonce: k(20) },
      { publicKey: k(1), nonce: k(10) },
    ]);
    expect(safetyDigest(roomId, [{ publicKey: k(1), nonce: k(10) }, { publicKey: k(2), nonce: k(20) }])).toEqual(d);
    expect(safetyWords(d)).toBe(safetyWords(d));
    expect(safetyWords(d)).toMatchInlineSnapshot(`"river shadow bamboo jelly window fox"`);
    expect(safetyWords(safetyDigest(roomId, [{ publicKey: k(1), nonce: k(11) }, { publicKey: k(2), nonce: k(20) }]))).not.toBe(safetyWords(d));
  });
});

/**
 * The grinding insider of issue 10 part 1, simulated against the real exchange on a code
 * cut to 12 bits. Mallory sits between honest A and B (each a real SafetyExchange), knows
 * both honest keys in advance, picks which leg to finish first, and on the second leg grinds
 * G candidate (key, nonce) pairs for one whose code equals the first leg's — using the honest
 * nonce of that leg if she can see it, her best guess otherwise. Against the real protocol she
 * cannot see it before committing, so she matches at the rate of chance (2^-12); with the nonce
 * leaked to her before she commits (negative control) she matches G times more often, and the
 * same bound detects it.
 */
const BITS = 12;
const code12 = (d: Uint8Array) => (d[0] << 4) | (d[1] >> 4);
const GRIND = 160;
const TRIALS = 1000;
const OLD_TRIALS = 200;

function mitmTrial(leakHonestNonce: boolean): boolean {
  const honest = ['A', 'B'].map((name) => {
    const key = randomBytes(32);
    const nonce = randomBytes(32); // drawn before the exchange so the control can leak it
    const out: Uint8Array[] = [];
    let digest: Uint8Array | undefined;
    const x = new SafetyExchange({
      roomId,
      publicKey: key,
      nonce: () => nonce,
      send: (_to, b) => out.push(b),
      onState: (s) => {
        if (s.status === 'final') digest = s.digest;
      },
    });
    return { name, key, nonce, out, x, digest: () => digest };
  });
  // Adaptive order: finish either leg first.
  const [first, second] = Math.random() < 0.5 ? honest : [honest[1], honest[0]];
  // Run one leg with Mallory's (key, nonce); returns the honest side's final digest.
  const leg = (h: (typeof honest)[number], key: Uint8Array, nonce: Uint8Array) => {
    h.x.setPeers(new Map([['M', key]]));
    const r = rosterDigest(roomId, [h.key, key]);
    if (h.x.receive('M', key, encodeSafetyMessage({ kind: 'commit', roster: r, commitment: nonceCommitment(roomId, r, key, nonce) }))) throw new Error('commit refused');
    if (h.x.receive('M', key, encodeSafetyMessage({ kind: 'reveal', roster: r, nonce }))) throw new Error('reveal refused');
    const d = h.digest();
    if (!d) throw new Error('honest side did not finish');
    return d;
  };
  const target = code12(leg(first, randomBytes(32), randomBytes(32)));
  // Second leg: everything Mallory may know now is the first code and the honest keys.
  const guess = leakHonestNonce ? second.nonce : randomBytes(32);
  // Candidates: fresh random bases with a counter in them (cheaper than drawing each anew).
  const baseKey = randomBytes(32);
  const baseNonce = randomBytes(32);
  let pick = { key: baseKey, nonce: baseNonce };
  for (let i = 0; i < GRIND; i++) {
    const cand = { key: baseKey.slice(), nonce: baseNonce.slice() };
    new DataView(cand.key.buffer).setUint32(0, i);
    new DataView(cand.nonce.buffer).setUint32(0, i * 0x9e3779b1);
    const predicted = code12(safetyDigest(roomId, [{ publicKey: second.key, nonce: guess }, { publicKey: cand.key, nonce: cand.nonce }]));
    pick = cand;
    if (predicted === target) break;
  }
  return code12(leg(second, pick.key, pick.nonce)) === target;
}

/** The old scheme (code = hash of the sorted keys; its scrypt cost does not change the count): a birthday search over G/2 keys per side. */
function oldSchemeTrial(): boolean {
  const [pkA, pkB] = [randomBytes(32), randomBytes(32)];
  const old = (a: Uint8Array, b: Uint8Array) => {
    const [x, y] = [a, b].sort((p, q) => Buffer.compare(p, q));
    return code12(sha256(concatBytes(new TextEncoder().encode(roomId), x, y)));
  };
  const seen = new Set<number>();
  for (let i = 0; i < GRIND / 2; i++) seen.add(old(pkA, randomBytes(32)));
  for (let i = 0; i < GRIND / 2; i++) if (seen.has(old(pkB, randomBytes(32)))) return true;
  return false;
}

describe(`a grinding man in the middle, on a ${BITS}-bit code (${TRIALS} attempts, ${GRIND} candidates each)`, () => {
  const p = 2 ** -BITS;
  // A correct exchange exceeds this count with probability ≤ 1e-6.
  const critical = binomialCriticalCount(TRIALS, p, 1e-6);

  it('matches no more often than chance (2^-12 per attempt, binomial bound)', () => {
    let hits = 0;
    for (let t = 0; t < TRIALS; t++) if (mitmTrial(false)) hits++;
    console.log(`safety code MITM at ${BITS} bits: ${hits}/${TRIALS} matches (chance ${(TRIALS * p).toFixed(2)}, bound < ${critical})`);
    expect(hits).toBeLessThan(critical);
  });

  it('negative control: the same attacker who sees the honest nonce before committing is caught by the bound', () => {
    let hits = 0;
    for (let t = 0; t < TRIALS; t++) if (mitmTrial(true)) hits++;
    console.log(`control (nonce leaked before commit): ${hits}/${TRIALS} matches`);
    expect(hits).toBeGreaterThanOrEqual(critical);
  });

  it('negative control: the old keys-only code is ground by a birthday search', () => {
    let hits = 0;
    for (let t = 0; t < OLD_TRIALS; t++) if (oldSchemeTrial()) hits++;
    console.log(`control (old keys-only code): ${hits}/${OLD_TRIALS} matches`);
    expect(hits).toBeGreaterThanOrEqual(binomialCriticalCount(OLD_TRIALS, p, 1e-6));
  });
});
