/** The room link to share, with a copy button. */
import { useState } from 'react';
import { useRoomStore } from './room-store';

export function InviteCard() {
  const link = useRoomStore((s) => s.link);
  return (
    <section className="card" aria-labelledby="invite-h">
      <h2 id="invite-h">Invite the others</h2>
      <p className="hint">Send this link to each participant (by chat or e-mail). Anyone with the link can join, so share it only with them.</p>
      <div className="link-row">
        <code data-testid="room-link" className="room-link">{link}</code>
        <CopyButton text={link} />
      </div>
    </section>
  );
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <button type="button" onClick={() => void copy()} aria-live="polite">
      {copied ? 'Copied' : 'Copy link'}
    </button>
  );
}
