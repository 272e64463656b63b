// Worker-thread entry of the SQLite report writer (sqlite-store.ts): registers tsx in this
// thread (workers do not inherit the main thread's loader) and runs sqlite-writer-thread.ts.
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-writer-thread.ts');
