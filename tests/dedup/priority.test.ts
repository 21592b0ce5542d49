import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { comparePriority, licenseRank, PriorityOptions, priorityKey } from '../../src/dedup/priority.js';

describe('priority rule', () => {
  it('ranks licences from most to least open, unknown and missing last', () => {
    const order = ['CC0-1.0', 'etalab-2.0', 'CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-ND-4.0', 'CC-BY-NC-4.0', 'CC-BY-NC-ND-4.0', 'LicenseRef-Proprietary', null];
    const ranks = order.map((l) => licenseRank(l));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(licenseRank('CC0-1.0')).toBeLessThan(licenseRank('CC-BY-4.0'));
    expect(licenseRank('CC-BY-4.0')).toBe(licenseRank('etalab-2.0'));
    expect(licenseRank('CC-BY-SA-4.0')).toBeLessThan(licenseRank('CC-BY-NC-SA-4.0'));
    expect(licenseRank(null)).toBeGreaterThan(licenseRank('LicenseRef-Proprietary'));
  });

  it('follows a configured licence order with prefixes', () => {
    const order = ['etalab-2.0', 'CC-BY-*'];
    expect(licenseRank('etalab-2.0', order)).toBe(0);
    expect(licenseRank('CC-BY-SA-4.0', order)).toBe(1);
    expect(licenseRank('CC0-1.0', order)).toBe(2);
    expect(licenseRank(null, order)).toBe(3);
  });

  it('orders by licence, then earliest date (unknown last), then id', () => {
    const o = PriorityOptions.parse({});
    const k = (id: string, license: string | null, date: string | null, seq = 0) => priorityKey({ id, license, date_published: date }, seq, o);
    expect(comparePriority(k('b', 'CC0-1.0', null), k('a', 'CC-BY-4.0', '1900'), o.order)).toBeLessThan(0);
    expect(comparePriority(k('b', 'CC-BY-4.0', '1676'), k('a', 'CC-BY-4.0', '1676-05-01'), o.order)).toBeLessThan(0);
    expect(comparePriority(k('b', 'CC-BY-4.0', '2000'), k('a', 'CC-BY-4.0', null), o.order)).toBeLessThan(0);
    expect(comparePriority(k('a', 'CC-BY-4.0', '2000'), k('b', 'CC-BY-4.0', '2000'), o.order)).toBeLessThan(0);
  });

  it('is a total order: antisymmetric and transitive (property)', () => {
    const o = PriorityOptions.parse({});
    const key = fc
      .tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom(null, 'CC0-1.0', 'CC-BY-4.0', 'CC-BY-NC-4.0'), fc.constantFrom(null, '1900', '1900-01-02', '2000'), fc.nat(3))
      .map(([id, l, d, seq]) => priorityKey({ id, license: l, date_published: d }, seq, o));
    fc.assert(
      fc.property(key, key, key, (a, b, c) => {
        expect(Math.sign(comparePriority(a, b, o.order)) + Math.sign(comparePriority(b, a, o.order))).toBe(0);
        if (comparePriority(a, b, o.order) < 0 && comparePriority(b, c, o.order) < 0) expect(comparePriority(a, c, o.order)).toBeLessThan(0);
      }),
    );
  });
});
