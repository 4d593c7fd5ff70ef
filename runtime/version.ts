// shiftlab's version, as package.json states it: `--version` prints it and every report's key includes it.
import { readFileSync } from 'node:fs';

export const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
