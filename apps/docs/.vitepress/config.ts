import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DefaultTheme, defineConfig } from 'vitepress';
import { BENCHMARKS_PAGE, benchmarkCharts, nestIncludedReport } from './benchmarks.js';

const docs = fileURLToPath(new URL('..', import.meta.url));

/** The generated command pages (reference/commands-<group>.md), titled by their first heading. */
function commandFamilies(): DefaultTheme.SidebarItem[] {
  const order = [
    'string',
    'bitmap',
    'hyperloglog',
    'hash',
    'set',
    'list',
    'sorted_set',
    'stream',
    'geo',
    'generic',
    'connection',
    'server',
    'transactions',
  ];
  const rank = (group: string) => (order.includes(group) ? order.indexOf(group) : order.length);
  return readdirSync(path.join(docs, 'reference'))
    .map((file) => /^commands-(.+)\.md$/.exec(file)?.[1])
    .filter((group): group is string => group !== undefined)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((group) => {
      const text = readFileSync(path.join(docs, 'reference', `commands-${group}.md`), 'utf8');
      const title = /^# (.+)$/m.exec(text)?.[1] ?? group;
      return { text: title.replace(/ commands$/, ''), link: `/reference/commands-${group}` };
    });
}

/**
 * The Kafka bridge guide is written alongside the bridge: linked once kafka-bridge.md exists (and from
 * then on the browser test's link check requires it to load).
 */
const kafkaBridge: DefaultTheme.SidebarItem[] = existsSync(path.join(docs, 'kafka-bridge.md'))
  ? [{ text: 'Kafka bridge', link: '/kafka-bridge' }]
  : [];

const sidebar: DefaultTheme.SidebarItem[] = [
  {
    text: 'Introduction',
    items: [
      { text: 'Getting started', link: '/getting-started' },
      { text: 'Architecture', link: '/architecture' },
    ],
  },
  {
    text: 'Guides',
    items: [
      { text: 'Log mode', link: '/log-mode' },
      { text: 'Cluster mode', link: '/cluster' },
      ...kafkaBridge,
      { text: 'Pub/Sub', link: '/pubsub' },
      { text: 'Lua scripting', link: '/scripting' },
      { text: 'Client-side caching', link: '/client-side-caching' },
      { text: 'Durability and consistency', link: '/durability' },
      { text: 'Compatibility', link: '/compatibility' },
      { text: 'Examples', link: '/examples' },
      { text: 'Benchmarks', link: '/benchmarks' },
    ],
  },
  {
    text: 'Reference',
    items: [
      { text: 'Commands', link: '/reference/commands', items: commandFamilies() },
      { text: 'Configuration', link: '/reference/configuration' },
      { text: 'Keyspace events', link: '/reference/keyspace-events' },
      { text: 'Errors', link: '/reference/errors' },
      { text: 'HTTP endpoints', link: '/reference/http' },
      { text: 'Protocol', link: '/reference/protocol' },
    ],
  },
];

export default defineConfig({
  title: 'Sluice',
  description: 'A Redis-compatible key-value server over LMDB, for data that lives in Kafka',
  lang: 'en-US',
  // Under apps/docs/dist: where turbo looks for build outputs, and ignored by git and Biome.
  outDir: 'dist',
  // The latest benchmark report is included into benchmarks.md, not a page of its own.
  srcExclude: ['benchmarks/latest/**', 'README.md'],
  lastUpdated: false,
  markdown: {
    config(md) {
      nestIncludedReport(md, docs);
    },
  },
  transformPageData(pageData) {
    if (pageData.relativePath === BENCHMARKS_PAGE) {
      pageData.frontmatter.charts = benchmarkCharts(docs);
    }
  },
  themeConfig: {
    nav: [
      { text: 'Getting started', link: '/getting-started' },
      { text: 'Commands', link: '/reference/commands' },
      { text: 'Configuration', link: '/reference/configuration' },
      { text: 'Benchmarks', link: '/benchmarks' },
    ],
    sidebar,
    outline: [2, 3],
    search: { provider: 'local' },
    footer: { message: 'Reference pages are generated from the command, settings and error tables.' },
  },
});
