import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtModule, esmThreadPool } from '../../src/exec/threads.js';

describe('worker thread pools', () => {
  it('run an ES module worker on every thread, starting each through a CommonJS entry (never require() of an ES module)', async () => {
    const worker = new URL('../../src/filters/worker.js', import.meta.url);
    const pool = esmThreadPool(worker, { minThreads: 4, maxThreads: 4 });
    try {
      expect(pool.options.filename).toMatch(/thread-entry\.cjs$/);
      // The entry is CommonJS: piscina's require() of it never reaches Node's require(esm) path.
      expect(readFileSync(pool.options.filename!, 'utf8')).toMatch(/^"use strict";/);
      const line = JSON.stringify({ id: 'a', text: 'Le conseil municipal s’est réuni hier soir pour voter le budget de la commune et discuter des travaux de la place.' });
      const results = await Promise.all(Array.from({ length: 16 }, () => pool.run({ lines: [line], options: {} })));
      expect(results).toHaveLength(16);
      expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    } finally {
      await pool.destroy();
    }
  });

  it('fails with the missing file named when the build is absent', () => {
    expect(() => esmThreadPool(new URL('file:///nowhere/src/none/worker.js'))).toThrow(/\/nowhere\/dist\/none\/worker\.js is missing/);
  });

  it('maps a module of the TypeScript sources to its build in dist/', () => {
    expect(builtModule(new URL('file:///opt/x/src/exec/worker.js'))).toBe('/opt/x/dist/exec/worker.js');
    expect(builtModule(new URL('file:///w/src/p/src/exec/thread-entry.cjs'))).toBe('/w/src/p/dist/exec/thread-entry.cjs');
  });
});
