/**
 * "Be an aggregator": this tab makes an aggregator key pair (X25519 for HPKE, Ed25519 for
 * signatures), keeps the private halves in IndexedDB as non-extractable keys, and shows the
 * public key to send to the survey's creator. Opening the survey link later in this browser
 * shows the aggregator's controls.
 */
import { useEffect, useState } from 'react';
import { generateAggregatorSecret, keyFingerprint } from '../../../core/survey';
import { CopyButton } from '../../components/copy-button';
import { listKeys, saveKey, type StoredKey } from './key-store';

export function AggregatorKeyPage() {
  const [keys, setKeys] = useState<StoredKey[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    listKeys().then(
      (ks) => setKeys(ks.sort((a, b) => b.createdAt - a.createdAt)),
      (e: unknown) => setError(`This browser cannot keep keys (${e instanceof Error ? e.message : String(e)}).`),
    );
  }, []);

  const make = async () => {
    setError(undefined);
    try {
      const k = { ...(await generateAggregatorSecret()), createdAt: Date.now() };
      await saveKey(k);
      setKeys((ks) => [k, ...(ks ?? [])]);
    } catch (e) {
      setError(`Could not make a key: ${e instanceof Error ? e.message : String(e)} (this needs a browser with X25519 and Ed25519 in Web Crypto).`);
    }
  };

  return (
    <section className="card stack" aria-labelledby="agg-title">
      <h1 id="agg-title">Be an aggregator</h1>
      <p className="hint">
        A survey has two aggregators who must not share their keys with each other. Each decrypts only its own half of every report;
        at the close the two browsers check every report's proof together and publish only the totals. Your private key stays in
        this browser (the browser itself will not export it): use this same browser to open the survey later, and do not clear its
        site data until the survey is computed.
      </p>
      <button type="button" className="primary" data-testid="make-aggregator-key" onClick={() => void make()}>
        Make an aggregator key
      </button>
      {error && (
        <p className="warning" role="alert" data-testid="error">
          {error}
        </p>
      )}
      {keys?.length === 0 && <p className="hint">No aggregator key in this browser yet.</p>}
      {keys?.map((k, i) => (
        <div key={k.publicKey} className="stack">
          <p>
            {i === 0 ? 'Your newest public key' : `Key made ${new Date(k.createdAt).toLocaleString()}`} (fingerprint <code>{keyFingerprint(k.publicKey)}</code>):
          </p>
          <code className="room-link" data-testid={i === 0 ? 'aggregator-key' : undefined}>
            {k.publicKey}
          </code>
          <CopyButton text={k.publicKey} label="Copy the key" />
        </div>
      ))}
    </section>
  );
}
