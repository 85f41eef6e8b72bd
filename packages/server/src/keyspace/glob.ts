/**
 * Glob-style matching as redis-server's `stringmatchlen` does it, for KEYS, SCAN MATCH and CONFIG GET:
 * `*`, `?`, `[abc]`, `[^abc]`, `[a-z]`, and `\` to escape the next character.
 */
export function globMatch(
  pattern: Uint8Array,
  str: Uint8Array,
  nocase = false,
  p = 0,
  s = 0,
  depth = 0,
): boolean {
  if (depth > 1000) return false;
  const plen = pattern.length;
  const slen = str.length;
  const fold = (c: number) => (nocase && c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
  while (p < plen && s < slen) {
    const pc = pattern[p] as number;
    switch (pc) {
      case 0x2a: {
        // '*': collapse runs, then try every suffix.
        while (p + 1 < plen && pattern[p + 1] === 0x2a) p++;
        if (p + 1 === plen) return true;
        for (let k = s; k < slen; k++) {
          if (globMatch(pattern, str, nocase, p + 1, k, depth + 1)) return true;
        }
        return false;
      }
      case 0x3f: // '?'
        s++;
        break;
      case 0x5b: {
        // '['
        p++;
        const not = pattern[p] === 0x5e;
        if (not) p++;
        let match = false;
        for (;;) {
          if (p >= plen) {
            p--;
            break;
          }
          const c = pattern[p] as number;
          if (c === 0x5c && p + 1 < plen) {
            p++;
            if (fold(pattern[p] as number) === fold(str[s] as number)) match = true;
          } else if (c === 0x5d) {
            break;
          } else if (p + 2 < plen && pattern[p + 1] === 0x2d) {
            let start = fold(c);
            let end = fold(pattern[p + 2] as number);
            const ch = fold(str[s] as number);
            if (start > end) [start, end] = [end, start];
            p += 2;
            if (ch >= start && ch <= end) match = true;
          } else if (fold(c) === fold(str[s] as number)) {
            match = true;
          }
          p++;
        }
        if (not) match = !match;
        if (!match) return false;
        s++;
        break;
      }
      default:
        // '\' escapes the next character, which is then compared literally.
        if (pc === 0x5c && p + 1 < plen) p++;
        if (fold(pattern[p] as number) !== fold(str[s] as number)) return false;
        s++;
        break;
    }
    p++;
  }
  if (s === slen) {
    while (p < plen && pattern[p] === 0x2a) p++;
  }
  return p === plen && s === slen;
}
