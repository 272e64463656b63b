/**
 * The room link to share: copy it, or scan its QR code with a phone. The QR image is drawn
 * in this tab (qrcode → data URL); the link, which holds the room secret in its fragment,
 * is never sent anywhere to make it.
 */
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { useRoomStore } from './room-store';
import { CopyButton } from '../../components/copy-button';

export function InviteCard() {
  const link = useRoomStore((s) => s.link);
  const qr = useQrDataUrl(link);
  return (
    <section className="card invite" aria-labelledby="invite-h">
      <div className="invite-text">
        <h2 id="invite-h">Invite the others</h2>
        <p className="hint">
          Send this link to each participant (by chat or e-mail), or let them scan the code with a phone. Anyone with the link can join, so share it only
          with them.
        </p>
        <div className="link-row">
          <code data-testid="room-link" className="room-link">
            {link}
          </code>
          <CopyButton text={link} label="Copy link" testId="copy-link" />
        </div>
      </div>
      {qr && (
        <figure className="qr">
          <img src={qr} width={148} height={148} alt="QR code of the room link: scan it with a phone camera to join this room" data-testid="room-qr" />
          <figcaption className="hint">Scan to join on a phone</figcaption>
        </figure>
      )}
    </section>
  );
}

function useQrDataUrl(text: string): string | undefined {
  const [url, setUrl] = useState<{ text: string; url: string }>();
  useEffect(() => {
    if (!text) return;
    let live = true;
    // Dark modules on white with a quiet zone: phone scanners need the contrast in both themes.
    QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 296, color: { dark: '#000000', light: '#ffffff' } })
      .then((u) => {
        if (live) setUrl({ text, url: u });
      })
      .catch(() => undefined); // No QR code is fine: the link and the copy button remain.
    return () => {
      live = false;
    };
  }, [text]);
  return url?.text === text ? url.url : undefined;
}
