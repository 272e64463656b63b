/**
 * Aggregator keys live in this browser's IndexedDB, as non-extractable CryptoKeys (the
 * browser refuses to export them: the private keys never leave this tab's storage). The
 * survey page looks here to learn whether this browser is one of a survey's aggregators.
 */
import type { AggregatorSecret } from '../../../core/survey';

const DB = 'parley-survey';
const STORE = 'aggregator-keys';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'publicKey' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB is not available'));
  });
}

function tx<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const t = db.transaction(STORE, mode);
        const req = f(t.objectStore(STORE));
        t.oncomplete = () => {
          db.close();
          resolve(req.result);
        };
        t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
      }),
  );
}

export interface StoredKey extends AggregatorSecret {
  createdAt: number;
}

export const saveKey = (k: StoredKey) => tx('readwrite', (s) => s.put(k)).then(() => undefined);
export const listKeys = () => tx<StoredKey[]>('readonly', (s) => s.getAll() as IDBRequest<StoredKey[]>);
export const findKey = (publicKey: string) => tx<StoredKey | undefined>('readonly', (s) => s.get(publicKey) as IDBRequest<StoredKey | undefined>);
