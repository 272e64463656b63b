/**
 * Public surface of the engine (src/core) for the worker and the app: sessions, sharing,
 * fixed point and the protocols. Pure TypeScript, no DOM, no I/O of its own (DESIGN §4).
 * Deep imports of individual modules are fine inside src/core; outside, prefer this file.
 */
export { MpcError, toErrorInfo, type ErrorCode, type ErrorInfo } from './errors.ts';

export { type Channel, type ChannelEvents, type PartyId, partyId } from './session/channel.ts';
export { HEADER_BYTES, Protocol, type ProtocolTag, type RoundId, describeRound, makeRound } from './session/round.ts';
export { Session, type SessionOptions, type SessionStats } from './session/session.ts';
export { type FrameInFlight, type MemoryNetwork, type MemoryNetworkOptions, createMemoryNetwork } from './session/memory-network.ts';
export { type PartyFn, type SimulationOptions, runParties, runPartiesSettled } from './session/simulate.ts';
export { type PortChannelOptions, type PortLike, type PortMessage, createPortChannel, parsePortMessage, transferableBuffer } from './session/port-network.ts';

export * as ring from './ring.ts';
export { bytesToU64, concatBytes, concatU64, splitU64, u64AsBytes, u64ToBytes, u64View } from './codec.ts';
export { Prg, nonceFor, prg, prgU64, randomBytes, randomU64 } from './random.ts';
export { inputShares, pairwiseSeeds, reconstruct, shareVector, zeroShares } from './sharing.ts';
export {
  type FixedBounds,
  INT64_BOUNDS,
  assertSumFits,
  checkRange,
  decodeFixed,
  encodeFixed,
  fixedToNumber,
  formatDecimal,
  formatDecimalTrimmed,
  parseDecimal,
} from './fixed-point.ts';

export { secureSum, secureSumSigned, secureSumTo } from './protocols/sum.ts';

// Online protocols over OT-generated triples (src/core/triples): multiply, open, boolean
// gates on bit-sliced XOR shares, A2B, comparisons, B2A.
export { type BitShares, makeBitShares, notBits, plane, selectBits, sliceBits, sliceU64, unsliceBits, unsliceU64, wordsFor, xorBits } from './protocols/bit-shares.ts';
export { open, openBits, openBitsTo, openTo } from './protocols/open.ts';
export { beaverMultiply, multiply, multiplyMany } from './protocols/multiply.ts';
export { and } from './protocols/boolean.ts';
export { type CarryMode, a2b, msb } from './protocols/a2b.ts';
export { type ComparisonKind, type LtOptions, type SignSource, comparisonCost, eq, lt, ltz } from './protocols/compare.ts';
export { b2a } from './protocols/b2a.ts';
export { countBits } from './protocols/count.ts';

// Preprocessing among the parties (no dealer): base OT, OT extension, Beaver and AND triples.
export * from './triples/index.ts';
// Agreement on spec + roster before inputs are used.
export { agreeOnDigest, canonicalJson, specDigest, type RosterEntry } from './protocols/agree.ts';
// The one protocol backend interface (strict / fast) the computations are written against.
export * from './backend/index.ts';
// The computations people come for (issue 4) and private set intersection (issue 6).
export * from './computations/index.ts';
export * from './psi/index.ts';
