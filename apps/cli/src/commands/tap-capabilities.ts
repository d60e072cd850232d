/**
 * `vokit tap capabilities <url>`: what a TAP service declares in its VOSI capabilities
 * (TAPRegExt 1.0): query languages with their versions and optional features (UDFs, geometry
 * functions...), output formats, upload methods, limits, data models, and the other
 * capabilities (VOSI endpoints, examples) with their URLs.
 */

import { TAPService, type Capability, type Limit } from '@vokit/dal';
import type { Command } from '../command.js';
import { parseTimeout } from '../dal-args.js';
import { describeDalFailure } from '../dal-output.js';
import { formatTextColumns } from '../text-columns.js';

/** `ivo://ivoa.net/std/TAPRegExt#features-udf` → `udf`; other ids stay whole. */
function shortId(id: string, prefix: string): string {
  return id.startsWith(prefix) ? id.slice(prefix.length) : id;
}

function formatLimit(limit: Limit | undefined): string | undefined {
  return limit ? `${limit.value} ${limit.unit ?? 'row'}${limit.value === 1 ? '' : 's'}` : undefined;
}

function limitLine(name: string, limits: { default?: Limit; hard?: Limit } | undefined): string[] {
  if (!limits || (!limits.default && !limits.hard)) return [];
  const parts = [limits.default && `default ${formatLimit(limits.default)}`, limits.hard && `hard ${formatLimit(limits.hard)}`];
  return [`    ${name}: ${parts.filter(Boolean).join(', ')}`];
}

function secondsLine(name: string, seconds: { default?: number; hard?: number } | undefined): string[] {
  if (!seconds || (seconds.default === undefined && seconds.hard === undefined)) return [];
  const parts = [seconds.default !== undefined && `default ${seconds.default} s`, seconds.hard !== undefined && `hard ${seconds.hard} s`];
  return [`    ${name}: ${parts.filter(Boolean).join(', ')}`];
}

/** The text of a TAP capability (TAPRegExt). */
export function formatTapCapability(cap: Capability): string[] {
  const lines = [`TAP (${cap.standardId})`];
  for (const language of cap.languages) {
    lines.push(`  language ${language.name} ${language.versions.map((v) => v.version).join(', ')}`);
    const byType = new Map<string, string[]>();
    for (const feature of language.features) {
      const type = shortId(shortId(feature.type, 'ivo://ivoa.net/std/TAPRegExt#features-'), 'ivo://ivoa.net/std/TAPRegExt#');
      const forms = byType.get(type) ?? [];
      forms.push(feature.form);
      byType.set(type, forms);
    }
    for (const [type, forms] of byType) {
      // function signatures are long: one a line; bare keywords fit on one line together
      if (forms.some((f) => f.includes('('))) lines.push(`    ${type} (${forms.length}):`, ...forms.map((f) => `      ${f}`));
      else lines.push(`    ${type} (${forms.length}): ${forms.join(', ')}`);
    }
  }
  if (cap.outputFormats.length > 0) {
    lines.push('  output formats:');
    lines.push(...formatTextColumns(cap.outputFormats.map((f) => [f.mime, f.aliases.join(', ')]), '    '));
  }
  if (cap.uploadMethods.length > 0) {
    lines.push(`  upload methods: ${cap.uploadMethods.map((m) => shortId(m, 'ivo://ivoa.net/std/TAPRegExt#upload-')).join(', ')}`);
  }
  const limits = [
    ...limitLine('output limit', cap.outputLimit),
    ...limitLine('upload limit', cap.uploadLimit),
    ...secondsLine('execution duration', cap.executionDuration),
    ...secondsLine('retention period', cap.retentionPeriod),
  ];
  if (limits.length > 0) lines.push('  limits:', ...limits);
  if (cap.dataModels.length > 0) lines.push(`  data models: ${cap.dataModels.map((d) => d.ivoId ?? d.name).join(', ')}`);
  return lines;
}

/** `vokit tap capabilities`. */
export const tapCapabilitiesCommand: Command = {
  spec: {
    name: 'tap capabilities',
    summary: 'Show what a TAP service supports: languages and features, formats, uploads, limits.',
    positionals: ['<url>'],
    options: {
      timeout: { type: 'string', valueName: '<seconds>', description: 'give up after this long (default: no limit)' },
    },
    details: ['Example:', '  vokit tap capabilities http://127.0.0.1:8080/tap'].join('\n'),
  },
  async run(args, context) {
    const [url] = args.positionals;
    const timeout = parseTimeout('tap capabilities', args.options.timeout as string | undefined);
    const tap = new TAPService(url, { fetch: context.fetch, timeout });
    let caps: Capability[];
    try {
      caps = await tap.capabilities();
    } catch (error) {
      throw describeDalFailure('tap capabilities', error);
    }
    const lines: string[] = [];
    const tapCaps = caps.filter((c) => c.standardId?.toLowerCase().startsWith('ivo://ivoa.net/std/tap'));
    for (const cap of tapCaps) lines.push(...formatTapCapability(cap));
    if (tapCaps.length === 0) lines.push(`no TAP capability in ${tap.baseurl}/capabilities`);
    const others = caps.filter((c) => !tapCaps.includes(c));
    if (others.length > 0) {
      lines.push('other capabilities:');
      lines.push(...formatTextColumns(others.map((c) => [c.standardId ?? `(${c.type ?? 'no standardID'})`, c.interfaces.flatMap((i) => i.accessUrls.map((a) => a.url)).join(' ')]), '  '));
    }
    context.stdout.write(`${lines.join('\n')}\n`);
  },
};
