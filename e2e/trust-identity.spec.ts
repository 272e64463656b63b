/**
 * Issue 5 items 1–2 with real browsers: every tab shows the same group safety code
 * (`safety-code`, six words from the room id and all participants' identity keys, see
 * src/transport/identity.ts), with an explanation of how to compare it by voice, and the
 * code changes for everyone when someone joins.
 *
 * The refusal side (a peer whose signed DTLS fingerprint does not match, a relay in the
 * middle) is covered with real browsers by trust-hostile-server.spec.ts (a) and at the
 * transport level by src/transport/mesh-identity.test.ts.
 *
 * PENDING UI WIRING: `test.fixme` until the room page renders `safety-code` from
 * MeshHandlers.identities (see the H8 report). Remove `.fixme` then.
 */
import { expect, test } from '@playwright/test';
import { closeAll, expectConnected, newParty, openRoom } from './parties';

const SIX_WORDS = /^[a-z]+( [a-z]+){5}$/;

test.fixme('every tab shows the same six-word safety code, explained, and it changes when someone joins', async ({ browser }) => {
  const { parties, link } = await openRoom(browser, 3);
  const code = async (i: number) => ((await parties[i].page.getByTestId('safety-code').textContent()) ?? '').trim();
  await expect(parties[0].page.getByTestId('safety-code')).toHaveText(SIX_WORDS);
  const first = await code(0);
  for (let i = 1; i < parties.length; i++) await expect(parties[i].page.getByTestId('safety-code')).toHaveText(first);
  // The page tells people what to do with it.
  await expect(parties[0].page.getByText(/read .*(aloud|out)|compare/i).first()).toBeVisible();

  const late = await newParty(browser, 'P3');
  await late.page.goto(link);
  await late.page.getByTestId('display-name').fill(late.name);
  await late.page.getByTestId('join-room').click();
  const all = [...parties, late];
  await expectConnected(all, 4);
  await expect(late.page.getByTestId('safety-code')).toHaveText(SIX_WORDS);
  const second = ((await late.page.getByTestId('safety-code').textContent()) ?? '').trim();
  expect(second).not.toBe(first);
  for (const p of all) await expect(p.page.getByTestId('safety-code')).toHaveText(second);
  await closeAll(all);
});
