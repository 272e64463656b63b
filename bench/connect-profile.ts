/**
 * Where the time of "everyone connected" goes (`npm run bench:browser -- --only connect
 * --profile`). An init script in every page timestamps, on the page's own clock: the
 * signaling WebSocket opening, each RTCPeerConnection's creation, its ICE reaching
 * `connected`, its DTLS transport (`connectionState`) reaching `connected`, and its data
 * channel opening. The bench adds the moment the tab shows the peer as connected (identity
 * handshake proven) from the participant list.
 * Milestones per tab in ms since the host's page load started (t = 0):
 *   load   this tab's navigation started (joiners: after the host created the room)
 *   ws     signaling socket open (after the name was typed and Join pressed)
 *   pc     first peer connection created (join, welcome, sealed offer)
 *   ice    last peer's ICE connected (candidates through signaling + connectivity checks)
 *   dtls   last peer's DTLS handshake done
 *   dc     last data channel open (SCTP)
 *   shown  the tab lists everyone as connected (identity handshake proven, safety code)
 * printed for the slowest tab (the one that defines "everyone connected") and as medians over tabs.
 */
import type { Page } from '@playwright/test';

export const CONNECT_PROFILE_SCRIPT = {
  content: `(() => {
  const log = (window.__parleyConnect = { ws: [], pc: [], ice: [], dtls: [], dc: [] });
  const now = () => performance.timeOrigin + performance.now();
  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(...a) { super(...a); this.addEventListener('open', () => log.ws.push(now())); }
  };
  const PC = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends PC {
    constructor(...a) {
      super(...a);
      log.pc.push(now());
      this.addEventListener('iceconnectionstatechange', () => { if (this.iceConnectionState === 'connected') log.ice.push(now()); });
      this.addEventListener('connectionstatechange', () => { if (this.connectionState === 'connected') log.dtls.push(now()); });
      this.addEventListener('datachannel', (e) => e.channel.addEventListener('open', () => log.dc.push(now())));
      const create = this.createDataChannel.bind(this);
      this.createDataChannel = (...b) => { const ch = create(...b); ch.addEventListener('open', () => log.dc.push(now())); return ch; };
    }
  };
})();`,
};

interface PageLog {
  ws: number[];
  pc: number[];
  ice: number[];
  dtls: number[];
  dc: number[];
}

const MILESTONES = ['load', 'ws', 'pc', 'ice', 'dtls', 'dc', 'shown'] as const;
export type Timeline = Record<(typeof MILESTONES)[number], number>;
export interface ConnectProfile {
  slowest: Timeline;
  median: Timeline;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const last = (xs: number[]) => (xs.length ? Math.max(...xs) : NaN);

/** Timelines of one room; `t0`, `loadStart[i]` and `shown[i]` are epoch ms (Date.now()). */
export async function connectProfile(pages: Page[], t0: number, loadStart: number[], shown: number[]): Promise<ConnectProfile> {
  const logs = await Promise.all(pages.map((p) => p.evaluate(() => (window as unknown as { __parleyConnect: PageLog }).__parleyConnect)));
  const rows: Timeline[] = logs.map((l, i) => ({
    load: loadStart[i] - t0,
    ws: Math.min(...l.ws) - t0,
    pc: Math.min(...l.pc) - t0,
    ice: last(l.ice) - t0,
    dtls: last(l.dtls) - t0,
    dc: last(l.dc) - t0,
    shown: shown[i] - t0,
  }));
  const round = (t: Timeline): Timeline => Object.fromEntries(MILESTONES.map((k) => [k, Math.round(t[k])])) as Timeline;
  const slowest = rows.reduce((a, b) => (b.shown > a.shown ? b : a));
  const med = Object.fromEntries(MILESTONES.map((k) => [k, median(rows.map((r) => r[k]))])) as Timeline;
  return { slowest: round(slowest), median: round(med) };
}

export function formatTimeline(t: Timeline): string {
  return MILESTONES.map((k) => `${k} ${t[k]}`).join('  ');
}
