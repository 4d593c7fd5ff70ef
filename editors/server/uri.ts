import { fileURLToPath } from 'node:url';

/** A document's file path (a `file:` URI), or the URI itself for other schemes. */
export const fileOf = (uri: string) => (uri.startsWith('file:') ? fileURLToPath(uri) : uri);
