/**
 * Which key an operation uses: a seeded random number generator, and key indexes drawn uniformly or from
 * a Zipf distribution (a few hot keys, a long tail), as caches and session stores see them.
 */

/** A random number generator on [0, 1): mulberry32, small, fast and reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws a key index in [0, n). */
export type KeySampler = (random: () => number) => number;

export function uniformSampler(n: number): KeySampler {
  return (random) => Math.floor(random() * n);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Zipf over `n` keys with exponent `s`: the key of rank r (1 = hottest) is drawn with probability
 * proportional to 1 / r^s. Ranks are spread over the key space by a fixed permutation (a multiplication
 * modulo n), so that the hot keys are not neighbours in the server's ordered storage.
 */
export function zipfSampler(n: number, s: number): KeySampler {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) {
    total += 1 / (r + 1) ** s;
    cdf[r] = total;
  }
  let multiplier = Math.max(1, Math.floor(n * 0.6180339887));
  while (gcd(multiplier, n) !== 1) multiplier++;
  return (random) => {
    const u = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] ?? 0) < u) lo = mid + 1;
      else hi = mid;
    }
    return (lo * multiplier) % n;
  };
}
