/**
 * redis-server's pqsort (pqsort.c: NetBSD's qsort, after Bentley and McIlroy's "Engineering a Sort
 * Function", made to sort only what a range of positions needs), redone on an array so that elements
 * that compare equal end up in the same order as redis-server puts them: a search with COUNT sorts its
 * first COUNT results with it.
 *
 * As redis-server 7.0.15 runs it (checked against the binary's comparisons): a partition that swapped
 * nothing does not switch to insertion sort (NetBSD's shortcut, quadratic on some inputs, is not there);
 * only parts of fewer than 7 elements are sorted by insertion.
 */

type Compare<T> = (a: T, b: T) => number;

/**
 * Sorts `items` far enough that positions [lrange, rrange] hold what a full sort would put there, in
 * pqsort's order.
 */
export function pqsort<T>(items: T[], cmp: Compare<T>, lrange: number, rrange: number): void {
  sortPart(items, 0, items.length, cmp, lrange, rrange);
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i] as T;
  a[i] = a[j] as T;
  a[j] = t;
}

function vecswap<T>(a: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(a, i + k, j + k);
}

function med3<T>(a: T[], i: number, j: number, k: number, cmp: Compare<T>): number {
  const ai = a[i] as T;
  const aj = a[j] as T;
  const ak = a[k] as T;
  return cmp(ai, aj) < 0
    ? cmp(aj, ak) < 0
      ? j
      : cmp(ai, ak) < 0
        ? k
        : i
    : cmp(aj, ak) > 0
      ? j
      : cmp(ai, ak) < 0
        ? i
        : k;
}

function insertionSort<T>(a: T[], base: number, n: number, cmp: Compare<T>): void {
  for (let m = base + 1; m < base + n; m++) {
    for (let l = m; l > base && cmp(a[l - 1] as T, a[l] as T) > 0; l--) swap(a, l, l - 1);
  }
}

/** Whether the part [lo, lo + n) holds none of the positions [lrange, rrange]. */
const outside = (lo: number, n: number, lrange: number, rrange: number): boolean =>
  (lrange < lo && rrange < lo) || (lrange >= lo + n && rrange >= lo + n);

function sortPart<T>(a: T[], base: number, n: number, cmp: Compare<T>, lrange: number, rrange: number): void {
  for (;;) {
    if (n < 7) {
      insertionSort(a, base, n, cmp);
      return;
    }
    let pm = base + Math.floor(n / 2);
    if (n > 7) {
      let pl = base;
      let pn = base + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(a, pm - d, pm, pm + d, cmp);
        pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(a, pl, pm, pn, cmp);
    }
    swap(a, base, pm);
    let pa = base + 1;
    let pb = pa;
    let pc = base + n - 1;
    let pd = pc;
    for (;;) {
      while (pb <= pc) {
        const r = cmp(a[pb] as T, a[base] as T);
        if (r > 0) break;
        if (r === 0) {
          swap(a, pa, pb);
          pa++;
        }
        pb++;
      }
      while (pb <= pc) {
        const r = cmp(a[pc] as T, a[base] as T);
        if (r < 0) break;
        if (r === 0) {
          swap(a, pc, pd);
          pd--;
        }
        pc--;
      }
      if (pb > pc) break;
      swap(a, pb, pc);
      pb++;
      pc--;
    }
    const pn = base + n;
    let r = Math.min(pa - base, pb - pa);
    vecswap(a, base, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    vecswap(a, pb, pn - r, r);
    r = pb - pa;
    if (r > 1 && !outside(base, r, lrange, rrange)) sortPart(a, base, r, cmp, lrange, rrange);
    r = pd - pc;
    if (r <= 1) return;
    // The right part is sorted by the loop rather than by a call.
    base = pn - r;
    n = r;
    if (outside(base, n, lrange, rrange)) return;
  }
}
