#!/usr/bin/env node
// The sources are TypeScript run through tsx, so `npx shiftlab` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
