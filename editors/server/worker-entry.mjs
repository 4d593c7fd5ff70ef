// Worker threads do not inherit a loader registered programmatically, so when the server runs from the sources
// (tsx) its analysis worker registers tsx itself. The build (scripts/build.mjs) replaces this file by dist/lsp-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
