/**
 * Which network path a WebRTC connection uses, from RTCPeerConnection.getStats(): the
 * selected ICE candidate pair and its two candidates' types. Pure (no DOM), so it is
 * tested on stats captured from real Chromium (e2e/trust-connectivity.spec.ts) and in Node.
 *
 * Security assumption: none; stats come from our own browser. References: W3C
 * webrtc-stats §3.6 (RTCIceCandidatePairStats, RTCIceCandidateStats.candidateType),
 * RFC 8445 §5.1.1 (host, srflx, prflx, relay).
 */
/**
 * The ICE path of the selected candidate pair: `direct` when both ends use host, srflx or
 * prflx candidates (a straight UDP/TCP path, possibly through NAT), `relayed` when either
 * end is a TURN relay candidate.
 */
export interface PeerPath {
  kind: 'direct' | 'relayed';
  local: string;
  remote: string;
  /** Current round-trip time in ms, when the browser reports it. */
  rttMs?: number;
}

export type StatsLike = Iterable<[string, Record<string, unknown>]>;

/** Find the selected candidate pair in an RTCStatsReport (pure, for tests). */
export function selectedPath(report: StatsLike): PeerPath | undefined {
  const byId = new Map<string, Record<string, unknown>>();
  for (const [id, s] of report) byId.set(id, s);
  let pair: Record<string, unknown> | undefined;
  for (const s of byId.values()) {
    // Chrome and Firefox name the pair on the transport; the spec'd fallback is `selected`/nominated.
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') pair = byId.get(s.selectedCandidatePairId);
  }
  if (!pair) {
    for (const s of byId.values()) {
      if (s.type === 'candidate-pair' && (s.selected === true || (s.nominated === true && s.state === 'succeeded'))) pair = s;
    }
  }
  if (!pair) return undefined;
  const local = byId.get(String(pair.localCandidateId));
  const remote = byId.get(String(pair.remoteCandidateId));
  if (!local || !remote) return undefined;
  const lt = String(local.candidateType ?? 'unknown');
  const rt = String(remote.candidateType ?? 'unknown');
  const path: PeerPath = { kind: lt === 'relay' || rt === 'relay' ? 'relayed' : 'direct', local: lt, remote: rt };
  if (typeof pair.currentRoundTripTime === 'number') path.rttMs = pair.currentRoundTripTime * 1000;
  return path;
}
