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
