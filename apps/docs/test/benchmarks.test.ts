/** How the Benchmarks page picks up the latest sluice-bench run (.vitepress/benchmarks.ts). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMarkdownRenderer } from 'vitepress';
import { afterEach, describe, expect, it } from 'vitest';
import { benchmarkCharts, nestIncludedReport, REPORT_DIR } from '../.vitepress/benchmarks.js';

let docs: string;

function latest(files: Record<string, string>): void {
  docs = mkdtempSync(path.join(tmpdir(), 'sluice-docs-bench-'));
  mkdirSync(path.join(docs, REPORT_DIR), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(docs, REPORT_DIR, name), text);
}

afterEach(() => rmSync(docs, { recursive: true, force: true }));

describe('benchmark charts', () => {
  it('lists the SVG charts that the report does not embed, titled by their <title>', () => {
    latest({
      'report.md': '# Report\n\n![Latency](latency.svg)\n',
      'latency.svg': '<svg><title>Latency</title></svg>',
      'rps-ratio.svg': '<svg xmlns="http://www.w3.org/2000/svg"><title> Throughput ratio </title></svg>',
      'ingest_rate.svg': '<svg></svg>',
      'results.json': '{}',
    });
    expect(benchmarkCharts(docs)).toEqual([
      { file: 'ingest_rate.svg', title: 'ingest rate' },
      { file: 'rps-ratio.svg', title: 'Throughput ratio' },
    ]);
  });

  it('nests the included report under the page and loads its images from its folder', async () => {
    latest({ 'chart.svg': '<svg></svg>' });
    const md = await createMarkdownRenderer(docs);
    nestIncludedReport(md, docs);
    const html = md.render(
      [
        '# Benchmarks',
        '',
        '<!-- report:start -->',
        '',
        '# Results',
        '',
        '## Suite',
        '',
        '![Chart](chart.svg) ![Elsewhere](other.svg)',
        '',
        '<!-- report:end -->',
        '',
        '## After',
      ].join('\n'),
      { relativePath: 'benchmarks.md' },
    );
    expect(html).toMatch(/<h1[^>]*>Benchmarks/);
    expect(html).toMatch(/<h2[^>]*>Results/);
    expect(html).toMatch(/<h3[^>]*>Suite/);
    expect(html).toMatch(/<h2[^>]*>After/);
    expect(html).toContain('src="./benchmarks/latest/chart.svg"');
    expect(html).toContain('src="./other.svg"');
  });
});
