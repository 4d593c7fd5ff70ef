#!/usr/bin/env node
// The sources are TypeScript run through tsx, so `npx shiftlab` works right after `npm ci`.
import { register } from 'tsx/esm/api';

// chevrotain is hundreds of small ES modules (lodash-es); loaded before tsx's hooks are in place, they skip
// its per-file checks, which saves most of a second on every command.
await import('chevrotain');
register();
await import('../cli/main.ts');
