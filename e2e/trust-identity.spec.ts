/**
 * Issue 5 items 1–2 with real browsers: every tab shows the same group safety code
 * (`safety-code`, six words from the room id and all participants' identity keys, see
 * src/transport/identity.ts), with an explanation of how to compare it by voice, and the
 * code changes for everyone when someone joins.
 *
 * The refusal side (an insider relaying both connections with her own certificates) is
 * covered with real browsers by trust-mitm.spec.ts, and at the transport level by
 * src/transport/mesh-identity.test.ts.
 *
 * Item 2 (agreement): a creator whose browser is modified to show one participant a
 * different spec in the `start` message must make the run abort for everyone before any
 * input is used (specDigest/agreeOnDigest, src/core/protocols/agree.ts).
 */
import { expect, test } from '@playwright/test';
import { closeAll, enterAndReady, expectConnected, newParty, openRoom } from './parties';

const SIX_WORDS = /^[a-z]+( [a-z]+){5}$/;

test('every tab shows the same six-word safety code, explained, and it changes when someone joins', async ({ browser }) => {
  const { parties, link } = await openRoom(browser, 2);
  const code = async (i: number) => ((await parties[i].page.getByTestId('safety-code').textContent()) ?? '').trim();
  await expect(parties[0].page.getByTestId('safety-code')).toHaveText(SIX_WORDS);
  const first = await code(0);
  for (let i = 1; i < parties.length; i++) await expect(parties[i].page.getByTestId('safety-code')).toHaveText(first);
  // The page tells people what to do with it.
  await expect(parties[0].page.getByText(/read .*(aloud|out)|compare/i).first()).toBeVisible();

  const late = await newParty(browser, 'P2');
  await late.page.goto(link);
  await late.page.getByTestId('display-name').fill(late.name);
  await late.page.getByTestId('join-room').click();
  const all = [...parties, late];
  await expectConnected(all, 3);
  await expect(late.page.getByTestId('safety-code')).toHaveText(SIX_WORDS);
  const second = ((await late.page.getByTestId('safety-code').textContent()) ?? '').trim();
  expect(second).not.toBe(first);
  for (const p of all) await expect(p.page.getByTestId('safety-code')).toHaveText(second);
  await closeAll(all);
});

/**
 * Runs in the creator's page before the app: the FIRST data channel that carries a `start`
 * control message gets it with `decimals` changed (same length, so the frame header stays
 * valid); every other channel gets the original. A creator showing different specs.
 */
function tamperFirstStart(): void {
  const original = RTCDataChannel.prototype.send as (this: RTCDataChannel, d: unknown) => void;
  const victims = new WeakSet<RTCDataChannel>();
  let chosen = false;
  RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: string | Blob | ArrayBuffer | ArrayBufferView) {
    if (ArrayBuffer.isView(data)) {
      const b = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      // framing.ts: tag 0 (control), flags FIRST|LAST, 4-byte length, then the JSON.
      const text = b[0] === 0 && b[1] === 3 ? new TextDecoder().decode(b.subarray(6)) : '';
      if (text.includes('"t":"start"')) {
        if (!chosen) {
          chosen = true;
          victims.add(this);
        }
        if (victims.has(this)) {
          const forged = new TextEncoder().encode(text.replace(/"decimals":(\d)/, (_m, d: string) => `"decimals":${(Number(d) + 1) % 10}`));
          const out = new Uint8Array(6 + forged.length);
          out.set(b.subarray(0, 6));
          out.set(forged, 6);
          return original.call(this, out);
        }
      }
    }
    return original.call(this, data);
  };
}

test('a creator that shows one participant a different spec: the run aborts for everyone, no result', async ({ browser }) => {
  const { parties } = await openRoom(browser, 3, 'sum', async (p, i) => {
    if (i === 0) await p.page.addInitScript(tamperFirstStart);
  });
  for (const [i, p] of parties.entries()) await enterAndReady(p, String(10 * (i + 1)));
  await expect(parties[0].page.locator('[data-testid="participant"][data-state="ready"]')).toHaveCount(3);
  await parties[0].page.getByTestId('start').click();
  for (const p of parties) {
    await expect(p.page.getByTestId('error')).toContainText(/different computation|do not agree|mismatch/i);
    await expect(p.page.getByTestId('result')).toHaveCount(0);
  }
  await closeAll(parties);
});
