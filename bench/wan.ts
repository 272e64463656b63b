/**
 * Emulated wide-area network for the browser benchmark: `npm run bench:browser -- --rtt 50`.
 *
 * Which emulation: in-page, not in the kernel. The kernel of this machine has no `netem`
 * qdisc (`tc qdisc add dev lo root netem …` → "Specified qdisc kind is unknown", no modules to
 * load), so a network namespace with tc netem is not possible here. Instead every page gets an
 * init script (before any app code runs) that delays each `RTCDataChannel.send` and
 * `WebSocket.send` by rtt/2, in order per channel, so every protocol message and every
 * signaling message pays one-way latency and a request/response pays the full rtt. Payloads
 * are copied at send time (the caller may reuse its buffer). `--loss p` is modelled as
 * head-of-line blocking: with probability p % a message waits one extra retransmission
 * timeout (max(3·rtt, 200 ms)) and everything behind it on that channel waits too, which is
 * what a lost packet costs a reliable ordered SCTP/TCP stream. Not modelled: bandwidth limits,
 * ICE/DTLS handshake packets (they are not sent through these APIs; connect times under
 * --rtt are therefore optimistic), jitter.
 */
export interface WanOptions {
  rttMs: number;
  lossPercent: number;
}

/** Reads `--rtt`/`--loss`; undefined when no WAN run was asked for. */
export function wanOptions(args: readonly string[]): WanOptions | undefined {
  if (!args.includes('--rtt')) return undefined;
  const rttMs = Number(args[args.indexOf('--rtt') + 1]);
  const lossPercent = args.includes('--loss') ? Number(args[args.indexOf('--loss') + 1]) : 0;
  if (!Number.isFinite(rttMs) || rttMs <= 0 || rttMs > 5000) throw new Error(`--rtt wants milliseconds in (0, 5000], got ${args[args.indexOf('--rtt') + 1]}`);
  if (!Number.isFinite(lossPercent) || lossPercent < 0 || lossPercent > 50) throw new Error('--loss wants a percentage in [0, 50]');
  return { rttMs, lossPercent };
}

/**
 * Browser-side code, as source text: a serialised function would carry the bundler's helpers
 * (tsx/esbuild's `__name`), which do not exist in the page.
 */
const DELAY_SENDS = `(opts) => {
  const oneWay = opts.rttMs / 2;
  const rto = Math.max(3 * opts.rttMs, 200);
  const copy = (data) => {
    if (data instanceof ArrayBuffer) return data.slice(0);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    return data;
  };
  const wrap = (proto, isOpen) => {
    const original = proto.send;
    const lanes = new WeakMap();
    proto.send = function (data) {
      const payload = copy(data);
      let at = performance.now() + oneWay;
      if (opts.lossPercent > 0 && Math.random() * 100 < opts.lossPercent) at += rto;
      at = Math.max(at, lanes.get(this) ?? 0); // in order per channel: nothing overtakes a late message
      lanes.set(this, at);
      setTimeout(() => { if (isOpen(this)) original.call(this, payload); }, at - performance.now());
    };
  };
  wrap(RTCDataChannel.prototype, (c) => c.readyState === 'open');
  wrap(WebSocket.prototype, (w) => w.readyState === WebSocket.OPEN);
}`;

/** The init script for every page of the WAN run. */
export function wanInitScript(opts: WanOptions): { content: string } {
  return { content: `(${DELAY_SENDS})(${JSON.stringify(opts)});` };
}
