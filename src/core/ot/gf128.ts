/**
 * GF(2^128) arithmetic for the OT-extension consistency check (kos-check.ts): the field
 * F_2[X]/(X^128 + X^7 + X^2 + X + 1), elements as 4 little-endian 32-bit words, bit i of
 * the element (word i>>5, bit i&31) = the coefficient of X^i. This is the representation
 * of IKNP rows and of Δ (iknp.ts), so a row is a field element without conversion.
 *
 * The hot operation is not a product but the linear combination Σ_j χ_j·row_j of all m
 * rows of a bit matrix held column-major (what OT extension produces before transposing).
 * Writing row_j = Σ_i b_{j,i}·X^i,
 *   Σ_j χ_j·row_j = Σ_i X^i · S_i,   S_i = ⊕_{j : b_{j,i} = 1} χ_j,
 * so the combination needs only XORs of χ's selected by column bits ("method of four
 * Russians": one 256-entry table of XOR combinations per 8 rows, then one byte look-up per
 * column) and 128 multiplications by X. No 128×128 carry-less products, which JS cannot do
 * fast (no PCLMULQDQ); measured in bench/cases/ot-triples.ts beside the extension.
 *
 * Not constant time in the data-dependent table index; the combined matrices are the
 * parties' own rows, and the results are sent to the peer anyway (the receiver's) or
 * compared once (the sender's), see kos-check.ts.
 */

/** a·X (shift by one, reduce by X^7 + X^2 + X + 1), in place. */
export function gfMulXInPlace(a: Uint32Array, o = 0): void {
  const carry = a[o + 3] >>> 31;
  a[o + 3] = (a[o + 3] << 1) | (a[o + 2] >>> 31);
  a[o + 2] = (a[o + 2] << 1) | (a[o + 1] >>> 31);
  a[o + 1] = (a[o + 1] << 1) | (a[o] >>> 31);
  a[o] = (a[o] << 1) ^ (0x87 & -carry);
}

/** a·b in GF(2^128), bit by bit (few calls per check; masked, no branch on b). */
export function gfMul(a: Uint32Array, b: Uint32Array): Uint32Array {
  const v = Uint32Array.from(a.subarray(0, 4));
  const r = new Uint32Array(4);
  for (let i = 0; i < 128; i++) {
    const mask = -((b[i >>> 5] >>> (i & 31)) & 1);
    r[0] ^= v[0] & mask;
    r[1] ^= v[1] & mask;
    r[2] ^= v[2] & mask;
    r[3] ^= v[3] & mask;
    gfMulXInPlace(v);
  }
  return r;
}

/**
 * S_i = ⊕_{j < m : bit j of column i} χ_j for the `nCols` columns of `cols` (column i in
 * words [i·w, (i+1)·w), w = m/32), χ_j = words [4j, 4j+4) of `chi`. Returns 4·nCols words.
 */
export function selectXor(cols: Uint32Array, nCols: number, m: number, chi: Uint32Array): Uint32Array {
  if (m % 32 !== 0 || cols.length < nCols * (m / 32) || chi.length < 4 * m) throw new RangeError('selectXor: m must be a multiple of 32, buffers sized for m rows');
  const w = m >>> 5;
  const out = new Uint32Array(4 * nCols);
  const table = new Uint32Array(256 * 4);
  for (let k = 0; k < w; k++) {
    for (let byte = 0; byte < 4; byte++) {
      // table[e] = ⊕ of χ_{j0+t} over the set bits t of e, built by doubling.
      const j0 = 32 * k + 8 * byte;
      for (let t = 0, half = 1; t < 8; t++, half <<= 1) {
        const c = 4 * (j0 + t);
        const c0 = chi[c], c1 = chi[c + 1], c2 = chi[c + 2], c3 = chi[c + 3];
        for (let e = 0; e < half; e++) {
          const src = 4 * e, dst = 4 * (e + half);
          table[dst] = table[src] ^ c0;
          table[dst + 1] = table[src + 1] ^ c1;
          table[dst + 2] = table[src + 2] ^ c2;
          table[dst + 3] = table[src + 3] ^ c3;
        }
      }
      const shift = 8 * byte;
      for (let i = 0, col = k; i < nCols; i++, col += w) {
        const e = 4 * ((cols[col] >>> shift) & 255), o = 4 * i;
        out[o] ^= table[e];
        out[o + 1] ^= table[e + 1];
        out[o + 2] ^= table[e + 2];
        out[o + 3] ^= table[e + 3];
      }
    }
  }
  return out;
}

/** Σ_i X^i·S_i for the 128 sums of selectXor (Horner from the top column). */
export function foldColumns(sums: Uint32Array): Uint32Array {
  const n = sums.length / 4;
  const acc = new Uint32Array(4);
  for (let i = n - 1; i >= 0; i--) {
    gfMulXInPlace(acc);
    acc[0] ^= sums[4 * i];
    acc[1] ^= sums[4 * i + 1];
    acc[2] ^= sums[4 * i + 2];
    acc[3] ^= sums[4 * i + 3];
  }
  return acc;
}

/** Σ_j χ_j·row_j over the m rows of a 128-column, column-major bit matrix. */
export function combineRows(cols: Uint32Array, m: number, chi: Uint32Array): Uint32Array {
  return foldColumns(selectXor(cols, 128, m, chi));
}
