/**
 * Just enough SVG for the report's charts: elements as strings, axis ticks at round numbers, and text
 * widths estimated without a font (the charts are laid out before any browser sees them).
 */

/** Escapes text for an XML attribute or text node. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type Attributes = Record<string, string | number | undefined>;

function attributes(attrs: Attributes): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(typeof value === 'number' ? round(value) : value)}"`)
    .join('');
}

/** Two decimals at most: coordinates need no more, and the files stay small and stable. */
function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}

export function element(name: string, attrs: Attributes, content?: string): string {
  return content === undefined
    ? `<${name}${attributes(attrs)}/>`
    : `<${name}${attributes(attrs)}>${content}</${name}>`;
}

export interface TextOptions {
  anchor?: 'start' | 'middle' | 'end';
  size?: number;
  weight?: 'normal' | 'bold';
  fill?: string;
  /** Vertical alignment of the text's middle on `y` rather than its baseline. */
  middle?: boolean;
}

export function text(x: number, y: number, content: string, options: TextOptions = {}): string {
  return element(
    'text',
    {
      x,
      y,
      'text-anchor': options.anchor,
      'font-size': options.size,
      'font-weight': options.weight === 'bold' ? 'bold' : undefined,
      fill: options.fill,
      'dominant-baseline': options.middle ? 'middle' : undefined,
    },
    escapeXml(content),
  );
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, extra: Attributes = {}) {
  return element('line', { x1, y1, x2, y2, stroke, ...extra });
}

export function rect(
  x: number,
  y: number,
  width: number,
  height: number,
  fill: string,
  extra: Attributes = {},
) {
  return element('rect', { x, y, width: Math.max(0, width), height: Math.max(0, height), fill, ...extra });
}

/** A whole document: white background, sans-serif text. */
export function svgDocument(width: number, height: number, title: string, body: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${round(width)}" height="${round(height)}" viewBox="0 0 ${round(width)} ${round(height)}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12" fill="#222">`,
    element('title', {}, escapeXml(title)),
    rect(0, 0, width, height, '#ffffff'),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/**
 * About how wide `content` is at `size` px in a sans-serif font: 0.6 em a character, which errs on the
 * wide side for the mostly lower-case labels the charts carry.
 */
export function textWidth(content: string, size = 12): number {
  return [...content].length * size * 0.6;
}

/** Ticks from 0 to at least `max`, at a round step (1, 2 or 5 × 10ⁿ), about `count` of them. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalized = raw / magnitude;
  const step = (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10) * magnitude;
  const ticks: number[] = [];
  for (let i = 0; ticks.length === 0 || (ticks.at(-1) ?? 0) < max - step * 1e-9; i++) {
    ticks.push(Number((i * step).toPrecision(12)));
  }
  return ticks;
}

/** `950`, `12k`, `1.5M`: short labels for an axis of rates. */
export function compactNumber(n: number): string {
  const abs = Math.abs(n);
  const short = (v: number, suffix: string) => `${Number(v.toPrecision(3))}${suffix}`;
  if (abs >= 1e6) return short(n / 1e6, 'M');
  if (abs >= 1e3) return short(n / 1e3, 'k');
  return String(Number(n.toPrecision(3)));
}

/** Colours that stay apart for the colour-blind (Okabe–Ito), by participant and then by position. */
const NAMED_COLOURS: Record<string, string> = {
  sluice: '#0072B2',
  // The baseline build: a lighter blue than the build it is compared with.
  'sluice-base': '#56B4E9',
  redis: '#D55E00',
  'redis-mem': '#E69F00',
  kcat: '#666666',
};
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'];

export function colourFor(name: string, index: number): string {
  return NAMED_COLOURS[name] ?? PALETTE[index % PALETTE.length] ?? '#000000';
}

/** A row of swatches and names, starting at (x, y); returns the elements. */
export function legend(x: number, y: number, entries: readonly { label: string; colour: string }[]) {
  const out: string[] = [];
  let at = x;
  for (const entry of entries) {
    out.push(rect(at, y - 9, 12, 12, entry.colour));
    out.push(text(at + 17, y + 1, entry.label));
    at += 17 + textWidth(entry.label) + 18;
  }
  return out;
}
