/**
 * The Benchmarks page shows the latest sluice-bench run, copied as it is into benchmarks/latest/
 * (report.md and SVG charts). benchmarks.md includes report.md between two markers; the markdown rule
 * below nests the report under the page's own title (its headings go one level down) and makes the
 * images it embeds resolve from the report's folder, since an include is pasted as text into the page.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MarkdownRenderer } from 'vitepress';

export const BENCHMARKS_PAGE = 'benchmarks.md';
export const REPORT_DIR = 'benchmarks/latest';
const START = '<!-- report:start -->';
const END = '<!-- report:end -->';

export interface Chart {
  /** File name in benchmarks/latest. */
  readonly file: string;
  /** The chart's SVG <title>, or its file name. */
  readonly title: string;
}

function isRelative(url: string): boolean {
  return url !== '' && !url.startsWith('/') && !url.startsWith('#') && !/^[a-z][a-z0-9+.-]*:/i.test(url);
}

/** The SVG charts of the latest run that report.md does not show itself, in file name order. */
export function benchmarkCharts(docs: string): Chart[] {
  const dir = path.join(docs, REPORT_DIR);
  if (!existsSync(dir)) return [];
  const reportFile = path.join(dir, 'report.md');
  const report = existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : '';
  const embedded = new Set(
    [...report.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)/g)].map((m) => path.posix.basename(m[1] ?? '')),
  );
  return readdirSync(dir)
    .filter((file) => file.endsWith('.svg') && !embedded.has(file))
    .sort()
    .map((file) => {
      const svg = readFileSync(path.join(dir, file), 'utf8');
      const title = /<title>([^<]*)<\/title>/.exec(svg)?.[1]?.trim();
      return { file, title: title || file.replace(/\.svg$/, '').replace(/[-_]+/g, ' ') };
    });
}

/** Nests the report included between the markers: headings one level down, images from its folder. */
export function nestIncludedReport(md: MarkdownRenderer, docs: string): void {
  md.core.ruler.after('inline', 'sluice-nest-report', (state) => {
    const page = typeof state.env?.relativePath === 'string' ? state.env.relativePath : '';
    const fromPage = path.posix.relative(path.posix.dirname(page), REPORT_DIR) || '.';
    let inside = false;
    for (const token of state.tokens) {
      if (token.type === 'html_block' && token.content.includes(START)) inside = true;
      else if (token.type === 'html_block' && token.content.includes(END)) inside = false;
      if (!inside) continue;
      if (token.type === 'heading_open' || token.type === 'heading_close') {
        const level = Math.min(Number(token.tag.slice(1)) + 1, 6);
        token.tag = `h${level}`;
        token.markup = '#'.repeat(level);
      }
      for (const child of token.children ?? []) {
        const src = child.type === 'image' ? child.attrGet('src') : null;
        if (src === null || !isRelative(src)) continue;
        const file = path.join(docs, REPORT_DIR, src);
        if (existsSync(file)) child.attrSet('src', `./${path.posix.join(fromPage, src)}`);
      }
    }
  });
}
