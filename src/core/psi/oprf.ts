/**
 * The Diffie–Hellman OPRF ("HashDH") over ristretto255 [JKK14], [RFC9497]: with key k,
 * F_k(x) = SHA-512(domain ‖ party ‖ x ‖ H(x)^k). The receiver sends H(x)^r for one secret r
 * per run, the sender answers (H(x)^r)^k, the receiver unblinds with r^{-1}. The sender
 * learns nothing about x (H(x)^r is a uniform group element for uniform r); the receiver
 * learns F_k only on the inputs it queried (one-more-gap-DH in the random-oracle model,
 * [JKK14, Thm. 1]). The key holder evaluates F_k on its own inputs directly.
 *
 * One r for a whole batch is fine: the batch (H(x_1)^r, …, H(x_n)^r) of distinct inputs is
 * pseudorandom under DDH (the old ring protocol relied on the same fact).
 *
 * [JKK14]   Jarecki, Kiayias, Krawczyk. Round-Optimal Password-Protected Secret Sharing and
 *           T-PAKE in the Password-Only Model. ASIACRYPT 2014.
 * [RFC9497] Davidson et al. Oblivious Pseudorandom Functions (OPRFs) Using Prime-Order
 *           Groups. 2023.
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8Encode } from '../codec.ts';
import { POINT_BYTES, decodeBlock } from './blinding.ts';

const Point = ristretto255.Point;
type RistrettoPoint = InstanceType<typeof Point>;

export const OPRF_OUT_BYTES = 64;
const OUT_DOMAIN = utf8Encode('parley/psi/oprf-out/v1');

const hashToGroup = (input: Uint8Array, dst: Uint8Array): RistrettoPoint => ristretto255_hasher.hashToCurve(input, { DST: dst }) as RistrettoPoint;

function u32(x: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, x);
  return b;
}

/** The OPRF input for `item` in `bin`: u32 bin ‖ UTF-8 item (unambiguous: the bin is fixed-width). */
export const oprfInput = (item: string, bin: number): Uint8Array => concatBytes(u32(bin), utf8Encode(item));

function finish(sender: number, input: Uint8Array, p: RistrettoPoint): Uint8Array {
  return sha512(concatBytes(OUT_DOMAIN, u32(sender), u32(input.length), input, p.toBytes()));
}

/** Receiver: out[i] = H(inputs[i])^r for i in [from, to). */
export function blindInputs(inputs: readonly Uint8Array[], r: bigint, dst: Uint8Array, out: Uint8Array, from: number, to: number): void {
  for (let i = from; i < to; i++) out.set(hashToGroup(inputs[i], dst).multiply(r).toBytes(), i * POINT_BYTES);
}

/** Sender: out[i] = decode(blinded[i])^k for i in [from, to); `receiver` is blamed for bad points. */
export function evaluateBlinded(blinded: Uint8Array, k: bigint, out: Uint8Array, from: number, to: number, receiver: number): void {
  for (let i = from; i < to; i++) out.set(decodeBlock(blinded, i, receiver).multiply(k).toBytes(), i * POINT_BYTES);
}

/** Receiver: out[i] = F_k(inputs[i]) from the sender's answers, unblinding with rInv = r^{-1} mod ℓ. */
export function unblindOutputs(inputs: readonly Uint8Array[], answers: Uint8Array, rInv: bigint, sender: number, out: Uint8Array, from: number, to: number): void {
  for (let i = from; i < to; i++) out.set(finish(sender, inputs[i], decodeBlock(answers, i, sender).multiply(rInv)), i * OPRF_OUT_BYTES);
}

/** Key holder: out[i] = F_k(inputs[i]) for its own inputs. */
export function evaluateDirect(inputs: readonly Uint8Array[], k: bigint, self: number, dst: Uint8Array, out: Uint8Array, from: number, to: number): void {
  for (let i = from; i < to; i++) out.set(finish(self, inputs[i], hashToGroup(inputs[i], dst).multiply(k)), i * OPRF_OUT_BYTES);
}

export const invertExponent = (r: bigint): bigint => Point.Fn.inv(r);
