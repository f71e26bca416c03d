import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutPath } from '../../../src/profile/checkout-path.js';
import { tempDir } from '../../helpers.js';

describe('checkoutPath', () => {
  const root = tempDir();
  mkdirSync(join(root, 'native', 'src', 'simd'), { recursive: true });
  writeFileSync(join(root, 'native', 'src', 'simd', 'ode.cc'), '');

  it('names a path inside the checkout relative to it', () => {
    expect(checkoutPath(join(root, 'native', 'build', '..', 'src', 'simd', 'ode.cc'), root)).toBe(
      'native/src/simd/ode.cc',
    );
    expect(checkoutPath('kernels/x.ts', root)).toBe('kernels/x.ts');
  });

  it('names a path compiled elsewhere by its longest tail found in the checkout', () => {
    // A build reused from another folder: its debug info names that folder.
    expect(checkoutPath('/tmp/elsewhere/native/build/../src/simd/ode.cc', root)).toBe('native/src/simd/ode.cc');
    expect(checkoutPath('/src/simd/ode.cc', root)).toBe('/src/simd/ode.cc');
    expect(checkoutPath('/usr/include/c++/12/bits/stl_vector.h', root)).toBe('/usr/include/c++/12/bits/stl_vector.h');
  });
});
