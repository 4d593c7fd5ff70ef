// The WebAssembly binaries the runtime loads (simd/binaries.ts) are what simd/*.wat assemble to today.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assembleKernels } from '../../scripts/assemble-simd.ts';
import { KERNEL_BINARIES } from '../../runtime/backend/wasm-kernels/simd/binaries.ts';

test('simd/binaries.ts holds exactly the assembled simd/*.wat (re-run scripts/assemble-simd.ts after editing one)', async () => {
  const assembled = await assembleKernels();
  assert.equal(Object.keys(KERNEL_BINARIES).sort(), Object.keys(assembled).sort());
  for (const [name, bytes] of Object.entries(assembled)) {
    const committed = Buffer.from(KERNEL_BINARIES[name as keyof typeof KERNEL_BINARIES], 'base64');
    assert.ok(committed.equals(Buffer.from(bytes)), `${name}.wat assembles to the committed bytes`);
  }
});

test.run();
