// The built entry of `shiftlab lsp` (dist/lsp.js; bin/shiftlab.mjs starts it for `lsp`): an editor waits for this
// process on every start, so it loads the connection alone and the parser and checker after `initialize`.
import { serveStdio } from './stdio.ts';

serveStdio();
