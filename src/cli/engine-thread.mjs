// Worker-thread entry of the Node party's engine (engine-host.ts): registers tsx in this
// thread (workers do not inherit the main thread's loader) and runs engine-thread.ts.
import { register } from 'tsx/esm/api';

register();
await import('./engine-thread.ts');
