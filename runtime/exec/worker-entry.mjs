// Worker threads do not inherit a loader registered programmatically (bin/shiftlab.mjs calls tsx's
// `register()`), so each worker registers tsx itself before importing the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
