/**
 * Save text as a file from this tab (Blob + object URL + a temporary link). Nothing goes
 * over the network; the URL is revoked right after the click.
 */
export function downloadText(filename: string, mime: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke after the browser has taken the click (same task is too early in some browsers).
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
