/**
 * Text rendered from the tables: `--help`, and the generated sections of `apps/docs/kafka-bridge.md`
 * (written by `scripts/write-docs.js`, checked by a test).
 */

import { envName, SETTINGS, type SettingGroup, type SettingSpec } from './config/index.js';
import { METRICS, type MetricSpec } from './metrics.js';

const GROUPS: readonly SettingGroup[] = ['Kafka', 'Target', 'Readiness and HTTP', 'Tuning', 'Process'];

/** What a setting's default is, in words (markdown). */
export function defaultText(spec: SettingSpec): string {
  if (spec.required) return 'required';
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (!('default' in spec) || spec.default === undefined) return 'not set';
  if (spec.default === '') return '`""` (empty)';
  return `\`${String(spec.default)}\``;
}

function placeholder(spec: SettingSpec): string {
  switch (spec.type) {
    case 'brokers':
      return 'host:port[,host:port]';
    case 'integer':
      return 'N';
    case 'enum':
      return spec.values.join('|');
    case 'url':
      return 'URL';
    case 'topic':
      return 'TOPIC';
    case 'string':
      return 'TEXT';
  }
}

/** `--help`. */
export function usage(): string {
  const lines = [
    'Usage: sluice-bridge --brokers host:port[,host:port] --topic TOPIC [--target redis://host:port/db] [options]',
    '       sluice-bridge --help | --version',
    '',
    'Tails a compacted Kafka topic into a Redis-protocol store: record key → key, value → value,',
    'tombstone → delete; resumes from the offsets it stores in the target.',
    '',
    'Every setting can also be given as an environment variable SLUICE_BRIDGE_<NAME>, for example',
    'SLUICE_BRIDGE_BROKERS; the command line wins.',
  ];
  for (const group of GROUPS) {
    lines.push('', `${group}:`);
    for (const spec of SETTINGS as readonly SettingSpec[]) {
      if (spec.group !== group) continue;
      const head = `  --${spec.name} ${placeholder(spec)}`;
      lines.push(`${head}  (${plain(defaultText(spec))}; ${envName(spec.name)})`);
      for (const line of wrap(plain(spec.description), 94)) lines.push(`      ${line}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The settings reference: one table per group. */
export function renderSettings(): string {
  const out: string[] = [];
  for (const group of GROUPS) {
    out.push(
      `### ${group}`,
      '',
      '| Flag | Environment variable | Default | Description |',
      '| --- | --- | --- | --- |',
    );
    for (const spec of SETTINGS as readonly SettingSpec[]) {
      if (spec.group !== group) continue;
      out.push(
        `| \`--${spec.name}\` | \`${envName(spec.name)}\` | ${defaultText(spec)} | ${cell(spec.description)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

/** The metrics reference. */
export function renderMetrics(): string {
  const out = ['| Metric | Type | Labels | Meaning |', '| --- | --- | --- | --- |'];
  for (const metric of METRICS as readonly MetricSpec[]) {
    const labels = metric.labels.length === 0 ? '' : metric.labels.map((l) => `\`${l}\``).join(', ');
    out.push(`| \`${metric.name}\` | ${metric.type} | ${labels} | ${cell(metric.help)} |`);
  }
  return `${out.join('\n')}\n`;
}

/** The generated sections of the docs page, by marker name. */
export function generatedSections(): Record<string, string> {
  return { settings: renderSettings(), metrics: renderMetrics() };
}

const BEGIN = (name: string) =>
  `<!-- BEGIN GENERATED ${name}: do not edit; run pnpm --filter @sluice/kafka-bridge docs -->`;
const END = (name: string) => `<!-- END GENERATED ${name} -->`;

/** `page` with each generated section replaced by its current rendering. Throws if a marker is missing. */
export function updateGenerated(page: string): string {
  let text = page;
  for (const [name, body] of Object.entries(generatedSections())) {
    const begin = text.indexOf(BEGIN(name));
    const end = text.indexOf(END(name));
    if (begin < 0 || end < begin) throw new Error(`the docs page lacks the markers of the ${name} section`);
    text = `${text.slice(0, begin + BEGIN(name).length)}\n\n${body}\n${text.slice(end)}`;
  }
  return text;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function plain(markdown: string): string {
  return markdown.replaceAll('`', '');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
