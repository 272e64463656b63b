/** The creator's close token per survey (returned once by the server), kept in this browser. */
const key = (id: string) => `parley/survey-token/${id}`;
export function saveToken(id: string, token: string): void {
  try {
    localStorage.setItem(key(id), token);
  } catch {
    /* private mode: the creator then waits for the closing time */
  }
}
export function loadToken(id: string): string | undefined {
  try {
    return localStorage.getItem(key(id)) ?? undefined;
  } catch {
    return undefined;
  }
}
const receiptKey = (id: string) => `parley/survey-receipt/${id}`;
export function saveReceipt(id: string, r: unknown): void {
  try {
    localStorage.setItem(receiptKey(id), JSON.stringify(r));
  } catch {
    /* not kept: the receipt is still on screen */
  }
}
export function loadReceipt(id: string): unknown {
  try {
    const s = localStorage.getItem(receiptKey(id));
    return s ? (JSON.parse(s) as unknown) : undefined;
  } catch {
    return undefined;
  }
}
