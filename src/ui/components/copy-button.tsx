/** A button that copies text to the clipboard and says so (to screen readers too). */
import { useEffect, useState } from 'react';

export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(t);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      // Clipboard access can be refused (permissions, insecure origin); say so plainly.
      setState('failed');
    }
  };
  return (
    <span className="copy">
      <button type="button" data-testid={testId} onClick={() => void copy()}>
        {state === 'copied' ? 'Copied ✓' : label}
      </button>
      <span className="copy-status" role="status">
        {state === 'copied' ? 'Copied to the clipboard.' : state === 'failed' ? 'Copying was blocked; select the text and copy it instead.' : ''}
      </span>
    </span>
  );
}
