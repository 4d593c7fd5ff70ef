// Bundles the client and vscode-languageclient into dist/extension.js, so the .vsix needs no node_modules
// (`vsce package --no-dependencies`). esbuild comes from the shiftlab repository's own dev dependencies.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('./src/extension.js', import.meta.url).pathname],
  outfile: new URL('./dist/extension.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: true,
  sourcemap: false,
  logLevel: 'warning',
});
