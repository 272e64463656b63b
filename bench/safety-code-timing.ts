/**
 * Time from "every participant connected" to "the safety code is shown", measured inside
 * each page on its own clock (a MutationObserver installed before the app loads, so no
 * polling delay): the cost of the group safety code exchange (src/transport/safety-exchange.ts)
 * as a person sees it. Resets whenever someone is connecting again, so the figure is for
 * the final roster. The bench reports the slowest tab.
 */
import type { Page } from '@playwright/test';

export const SAFETY_CODE_TIMING_SCRIPT = {
  content: `(() => {
  const t = (window.__parleySafety = { connected: NaN, code: NaN });
  new MutationObserver(() => {
    const rows = document.querySelectorAll('[data-testid="participant"]');
    const all = rows.length > 1 && !document.querySelector('[data-testid="participant"][data-state="connecting"]');
    if (!all) { t.connected = NaN; t.code = NaN; return; }
    const now = performance.timeOrigin + performance.now();
    if (Number.isNaN(t.connected)) t.connected = now;
    if (Number.isNaN(t.code) && document.querySelector('[data-testid="safety-code"]')) t.code = now;
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();`,
};

/**
 * Waits for the code in every page. `tabMs`: the longest a tab waited between showing
 * everyone connected and showing the code (includes waiting for slower tabs to see
 * everyone). `groupMs`: from the last tab showing everyone connected to the last tab showing
 * the code (the exchange itself once the mesh is complete). Epoch ms, one machine clock.
 */
export async function safetyCodeDelay(pages: Page[]): Promise<{ tabMs: number; groupMs: number }> {
  await Promise.all(pages.map((p) => p.getByTestId('safety-code').waitFor({ timeout: 30_000 })));
  const t = await Promise.all(pages.map((p) => p.evaluate(() => (window as unknown as { __parleySafety: { connected: number; code: number } }).__parleySafety)));
  return { tabMs: Math.max(...t.map((x) => x.code - x.connected)), groupMs: Math.max(...t.map((x) => x.code)) - Math.max(...t.map((x) => x.connected)) };
}
