import { describe, expect, it } from 'vitest';
import { selectedPath, type StatsLike } from './ice-path.ts';

type S = Record<string, unknown>;
const report = (...stats: S[]): StatsLike => stats.map((s) => [String(s.id), s] as [string, S]);
const cand = (id: string, type: string, candidateType: string): S => ({ id, type, candidateType });

describe('selectedPath', () => {
  it('follows transport.selectedCandidatePairId (Chromium) and reports relay as relayed', () => {
    const r = report(
      { id: 'T1', type: 'transport', selectedCandidatePairId: 'P2' },
      { id: 'P1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', nominated: false },
      { id: 'P2', type: 'candidate-pair', localCandidateId: 'L2', remoteCandidateId: 'R1', currentRoundTripTime: 0.012 },
      cand('L1', 'local-candidate', 'host'),
      cand('L2', 'local-candidate', 'relay'),
      cand('R1', 'remote-candidate', 'srflx'),
    );
    expect(selectedPath(r)).toEqual({ kind: 'relayed', local: 'relay', remote: 'srflx', rttMs: 12 });
  });

  it('falls back to the nominated, succeeded pair; host/srflx/prflx are direct', () => {
    for (const [l, rt] of [['host', 'host'], ['srflx', 'prflx'], ['prflx', 'srflx']]) {
      const r = report(
        { id: 'P', type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R', nominated: true, state: 'succeeded' },
        cand('L', 'local-candidate', l),
        cand('R', 'remote-candidate', rt),
      );
      expect(selectedPath(r)).toEqual({ kind: 'direct', local: l, remote: rt });
    }
    const viaRemoteRelay = report(
      { id: 'P', type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R', selected: true },
      cand('L', 'local-candidate', 'host'),
      cand('R', 'remote-candidate', 'relay'),
    );
    expect(selectedPath(viaRemoteRelay)?.kind).toBe('relayed');
  });

  it('is undefined while nothing is selected or a candidate is missing', () => {
    expect(selectedPath(report())).toBeUndefined();
    expect(selectedPath(report({ id: 'P', type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R', nominated: true, state: 'in-progress' }))).toBeUndefined();
    expect(selectedPath(report({ id: 'T', type: 'transport', selectedCandidatePairId: 'P' }, { id: 'P', type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R' }))).toBeUndefined();
  });
});
