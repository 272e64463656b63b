/**
 * Issue 5 item 6: the ICE-path classifier (src/transport/ice-path.ts) on getStats() of a
 * real Chromium connection. Two RTCPeerConnections in one page connect over loopback;
 * their stats report goes to the same pure function the mesh uses (Mesh.path).
 * A TURN relay is not available on this host, so `relayed` is covered in
 * src/transport/ice-path.test.ts with a report of the same shape.
 */
import { expect, test } from '@playwright/test';
import { selectedPath, type StatsLike } from '../src/transport/ice-path.ts';
import { newParty } from './parties';

test('getStats of a real loopback connection classifies as a direct host-to-host path', async ({ browser }) => {
  const p = await newParty(browser, 'stats');
  await p.page.goto('/healthz');
  const entries = await p.page.evaluate(async () => {
    const a = new RTCPeerConnection({ iceServers: [] });
    const b = new RTCPeerConnection({ iceServers: [] });
    a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
    b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
    const ch = a.createDataChannel('x');
    const open = new Promise<void>((resolve) => (ch.onopen = () => resolve()));
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription!);
    await open;
    const report = await a.getStats();
    const out: [string, Record<string, unknown>][] = [];
    report.forEach((s: Record<string, unknown>) => out.push([String(s.id), JSON.parse(JSON.stringify(s)) as Record<string, unknown>]));
    a.close();
    b.close();
    return out;
  });
  const path = selectedPath(entries as StatsLike);
  expect(path).toMatchObject({ kind: 'direct', local: 'host', remote: 'host' });
  await p.context.close();
});
