import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normaliseItem, normaliseItems, splitLines } from './normalise.ts';

describe('normaliseItem (known answers)', () => {
  it('emails: trim, NFC, case-fold; invalid ones dropped', () => {
    expect(normaliseItem('  Alice.Smith@Example.COM \t', 'email')).toBe('alice.smith@example.com');
    expect(normaliseItem('STRASSE@Example.de', 'email')).toBe('strasse@example.de');
    expect(normaliseItem('Straße@example.de', 'email')).toBe('strasse@example.de');
    // decomposed é (e + U+0301) and precomposed É both become precomposed é
    expect(normaliseItem('Jose\u0301@x.org', 'email')).toBe('jos\u00e9@x.org');
    expect(normaliseItem('JOS\u00c9@X.ORG', 'email')).toBe('jos\u00e9@x.org');
    expect(normaliseItem('ΟΔΥΣΣΕΥΣ@x.gr', 'email')).toBe('οδυσσευσ@x.gr');
    for (const bad of ['', '   ', 'no-at-sign', 'a@b@c', '@x.org', 'a@', 'a b@x.org']) expect(normaliseItem(bad, 'email')).toBeUndefined();
  });

  it('phones: strip spaces, dashes, dots, parentheses; keep a leading +', () => {
    expect(normaliseItem(' +41 (0)44-123.45 67 ', 'phone')).toBe('+410441234567');
    expect(normaliseItem('(555) 010-9999', 'phone')).toBe('5550109999');
    expect(normaliseItem('\uff10\uff17\uff19\uff11\uff12\uff13\uff14', 'phone')).toBe('0791234'); // full-width digits
    expect(normaliseItem('0044 20 7946 0958', 'phone')).toBe('00442079460958'); // no country-code rewriting
    for (const bad of ['', '12', '+', '1+23', '555-CALL-NOW', '++4144']) expect(normaliseItem(bad, 'phone')).toBeUndefined();
  });

  it('ids and text: trim, collapse whitespace, NFC, keep case', () => {
    expect(normaliseItem('  AB-123  ', 'id')).toBe('AB-123');
    expect(normaliseItem('John \t  Smith\u00a0 Jr', 'text')).toBe('John Smith Jr');
    expect(normaliseItem('Cafe\u0301', 'text')).toBe('Caf\u00e9');
    expect(normaliseItem(' \t ', 'id')).toBeUndefined();
  });
});

describe('normaliseItems', () => {
  it('deduplicates after normalisation, counts dropped and duplicate lines, shows changed examples first', () => {
    const lines = splitLines('bob@x.org\r\n Alice@X.org\n\nalice@x.org\nnot an email\rBOB@x.org\ncarol@y.org');
    const r = normaliseItems(lines, 'email');
    expect(r.items).toEqual(['bob@x.org', 'alice@x.org', 'carol@y.org']);
    expect(r.dropped).toBe(1);
    expect(r.duplicates).toBe(2);
    expect(r.examples).toEqual([
      { raw: ' Alice@X.org', normalised: 'alice@x.org' },
      { raw: 'bob@x.org', normalised: 'bob@x.org' },
      { raw: 'carol@y.org', normalised: 'carol@y.org' },
    ]);
  });

  it('is idempotent and order-independent as a set (property)', () => {
    const kinds = ['email', 'phone', 'id', 'text'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { maxLength: 20 }), (kind, lines) => {
        const once = normaliseItems(lines, kind);
        expect(normaliseItems(once.items, kind).items).toEqual(once.items);
        expect(new Set(normaliseItems([...lines].reverse(), kind).items)).toEqual(new Set(once.items));
        expect(once.items.length + once.dropped + once.duplicates).toBe(lines.filter((l) => l.trim() !== '').length);
      }),
      { numRuns: 200 },
    );
  });
});
