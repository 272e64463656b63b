// Worker-thread entry of survey-prep-pool.ts: registers tsx in this thread (workers do not
// inherit the main thread's loader) and runs survey-prep-thread.ts.
import { register } from 'tsx/esm/api';

register();
await import('./survey-prep-thread.ts');
