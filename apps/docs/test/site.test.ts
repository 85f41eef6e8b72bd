/**
 * The browser test: builds the site into a temporary folder, serves it on loopback, opens it in Debian's
 * Chromium and checks the home page, the GET reference, the benchmark charts, and every internal link
 * (pages, anchors, images, assets) reachable from the home page.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { allCommands } from '@sluice/server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveSite } from '../scripts/serve.js';
import { loadServerReference } from '../scripts/server-reference.js';

const docs = fileURLToPath(new URL('..', import.meta.url));
const screenshots = path.join(docs, 'test', 'screenshots');
const run = promisify(execFile);

/** What the crawl saw on one page. */
interface Visited {
  readonly status: number;
  readonly ids: ReadonlySet<string>;
}

/** A link found on a page: the page it is on and the URL it points to. */
interface Link {
  readonly from: string;
  readonly url: URL;
}

let out: string;
let site: { url: string; close: () => Promise<void> };
let browser: Browser;
let page: Page;
/** Same-origin requests that failed or answered 400 or more, and uncaught errors, as `page: what`. */
const failures: string[] = [];

async function open(pathname: string): Promise<number> {
  const response = await page.goto(new URL(pathname, site.url).href, { waitUntil: 'load' });
  return response?.status() ?? 0;
}

/** The page's file in the built site, as VitePress names it: `/` is `/index.html`, `/a` is `/a.html`. */
function canonical(pathname: string): string {
  if (pathname.endsWith('/')) return `${pathname}index.html`;
  return pathname.endsWith('.html') || path.extname(pathname) !== '' ? pathname : `${pathname}.html`;
}

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'sluice-docs-'));
  await run(process.execPath, ['scripts/generate-reference.js'], { cwd: docs });
  await run(process.execPath, ['node_modules/vitepress/bin/vitepress.js', 'build', '--outDir', out], {
    cwd: docs,
    maxBuffer: 16 * 1024 * 1024,
  });
  site = await serveSite({ dir: out });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => failures.push(`${page.url()}: uncaught ${error.message}`));
  page.on('requestfailed', (request) => {
    // ERR_ABORTED: a prefetch of a linked page's code, cancelled by the crawl navigating on.
    const error = request.failure()?.errorText ?? '';
    if (request.url().startsWith(site.url) && error !== 'net::ERR_ABORTED')
      failures.push(`${page.url()}: ${request.url()} failed: ${error}`);
  });
  page.on('response', (response) => {
    if (response.url().startsWith(site.url) && response.status() >= 400)
      failures.push(`${page.url()}: ${response.url()} answered ${response.status()}`);
  });
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('the documentation site', () => {
  it('has a home page that introduces Sluice and leads to the guides', async () => {
    expect(await open('/')).toBe(200);
    expect(await page.title()).toContain('Sluice');
    await expect(page.locator('.VPHero .name').textContent()).resolves.toContain('Sluice');
    for (const href of ['/getting-started', '/reference/commands', '/benchmarks']) {
      expect(await page.locator(`.VPHero a[href^="${href}"]`).count(), href).toBeGreaterThan(0);
    }
    await expect(page.locator('.VPSidebar, .VPNav').first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(screenshots, 'home.png'), fullPage: true });
  });

  it('shows the syntax of GET on the string commands page', async () => {
    const { syntax } = await loadServerReference();
    const get = allCommands.find((def) => def.spec.name === 'get');
    if (get === undefined) throw new Error('GET is not in the command table');
    expect(syntax(get)).toBe('GET key');

    expect(await open('/reference/commands-string.html#get')).toBe(200);
    const heading = page.locator('.vp-doc h2#get');
    await expect(heading.isVisible()).resolves.toBe(true);
    // The first code block after the heading is the syntax line.
    const block = page.locator('.vp-doc h2#get ~ div[class*="language-"] pre').first();
    await expect(block.textContent()).resolves.toBe(syntax(get));
    await expect(block.isVisible()).resolves.toBe(true);
    // The family's sidebar entry is there and marked as the current page.
    const entry = page.locator('.VPSidebar .VPSidebarItem.is-active a[href^="/reference/commands-string"]');
    await expect(entry.count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(screenshots, 'get.png') });
  });

  it('renders the benchmark charts and the report', async () => {
    expect(await open('/benchmarks.html')).toBe(200);
    const html = await page.content();
    expect(html, 'the report was not included').not.toContain('@include');
    expect(await page.locator('.vp-doc table').count()).toBeGreaterThan(0);

    const charts = await page.locator('.vp-doc img').evaluateAll((images) =>
      (images as HTMLImageElement[]).map((img) => ({
        src: img.getAttribute('src'),
        complete: img.complete,
        width: img.naturalWidth,
        shown: img.getBoundingClientRect().width,
      })),
    );
    expect(charts.length, 'no chart on the benchmarks page').toBeGreaterThan(0);
    for (const chart of charts) {
      expect(chart.complete && chart.width > 0, `${chart.src} did not load`).toBe(true);
      expect(chart.shown, `${chart.src} is not shown`).toBeGreaterThan(100);
    }
  });

  it('has no broken internal link, anchor, image or asset on any page', async () => {
    const visited = new Map<string, Visited>();
    const links: Link[] = [];
    const queue = ['/index.html'];
    while (queue.length > 0) {
      const pathname = queue.shift() as string;
      if (visited.has(pathname)) continue;
      const status = await open(pathname);
      const seen = await page.evaluate(() => ({
        ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
        names: [...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name') ?? ''),
        links: [...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
        images: [...document.images].map((img) => ({
          src: img.src,
          ok: img.complete && img.naturalWidth > 0,
        })),
      }));
      visited.set(pathname, { status, ids: new Set([...seen.ids, ...seen.names]) });
      for (const image of seen.images)
        if (!image.ok) failures.push(`${pathname}: image ${image.src} is broken`);
      for (const href of seen.links) {
        const url = new URL(href);
        if (url.origin !== new URL(site.url).origin) continue;
        links.push({ from: pathname, url });
        const target = canonical(url.pathname);
        if (target.endsWith('.html') && !visited.has(target)) queue.push(target);
        else if (!target.endsWith('.html')) {
          // A link to a file (an SVG opened on its own): it must exist.
          const response = await page.request.get(url.href);
          if (!response.ok())
            failures.push(`${pathname}: link to ${url.pathname} answered ${response.status()}`);
        }
      }
    }

    for (const [pathname, { status }] of visited)
      if (status !== 200) failures.push(`${pathname}: status ${status}`);
    for (const { from, url } of links) {
      const target = visited.get(canonical(url.pathname));
      const id = decodeURIComponent(url.hash.slice(1));
      if (target !== undefined && id !== '' && !target.ids.has(id))
        failures.push(`${from}: link to ${url.pathname}${url.hash}, which has no such anchor`);
    }
    expect(failures).toEqual([]);

    // Every page of the built site is reachable from the home page.
    const built = readdirSync(out, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.html') && file !== '404.html')
      .map((file) => `/${file.split(path.sep).join('/')}`);
    expect(built.filter((file) => !visited.has(file))).toEqual([]);
    expect(visited.size).toBeGreaterThanOrEqual(10);

    // The Kafka bridge guide is linked (and so checked) as soon as it exists.
    if (existsSync(path.join(docs, 'kafka-bridge.md'))) expect(visited.has('/kafka-bridge.html')).toBe(true);
  });
});
