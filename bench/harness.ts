// The shared benchmark harness: variants run side by side in one process run, interleaved over
// several rounds (A, B, C, A, B, C, …), reported as medians with ratios to a baseline.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * A full garbage collection, so that the garbage of a round's set-up (prefilled queues,
 * generated records) is not collected inside the next timed window. Call it right before timing.
 */
export function collectGarbage(): void {
  gc();
}

/** One measurement of one variant in one round. */
export interface Sample {
  /** The main figure (records/s, ms, µs/record, MB …), in the unit of its metric. */
  value: number;
  /** Other figures of the same run (e.g. peak RSS, requests made), reported as medians too. */
  extra?: Record<string, number>;
}

export interface Variant {
  name: string;
  /** One round: set up (untimed), measure, tear down; returns what was measured. */
  run(round: number): Promise<Sample>;
}

/** How a metric reads: `higher` (throughput) or `lower` (time, memory) is better. */
export interface Metric {
  name: string;
  unit: string;
  better: 'higher' | 'lower';
}

/** One row of a case's table: a variant's medians within a group (e.g. "calls of 10 @ 1k queued"). */
export interface Row {
  group: string;
  variant: string;
  metric: string;
  unit: string;
  median: number;
  samples: number[];
  /**
   * Per baseline: how many times better than it this variant is, in the metric's direction
   * (throughput: value / baseline; time and memory: baseline / value). 1 for the baseline itself.
   */
  ratios: Record<string, number>;
  extra: Record<string, number>;
}

export interface Goal {
  goal: string;
  met: boolean;
  detail: string;
}

export interface CaseResult {
  case: string;
  title: string;
  params: Record<string, unknown>;
  rows: Row[];
  goals: Goal[];
  notes: string[];
  /** Wall time of the whole case, set-up included. */
  seconds: number;
  /** 1-minute load average of the machine when the case started and ended (other work skews timings). */
  loadAverage: [number, number];
}

export interface CaseOptions {
  quick: boolean;
  /** Progress lines (stderr). */
  log(message: string): void;
}

export interface BenchCase {
  name: string;
  title: string;
  run(options: CaseOptions): Promise<Omit<CaseResult, 'case' | 'title' | 'seconds' | 'loadAverage'>>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A variant that measures several groups in one run (e.g. several call patterns on one prefilled store). */
export interface MultiVariant {
  name: string;
  run(round: number): Promise<Record<string, Sample>>;
}

/**
 * Runs `variants` for `rounds` rounds, interleaved (every variant once per round, in order), and
 * returns one row per variant with its median and its ratio to each of `baselines`.
 */
export async function sideBySide(options: {
  group: string;
  metric: Metric;
  variants: readonly Variant[];
  baselines: readonly string[];
  rounds: number;
  log?: (message: string) => void;
}): Promise<Row[]> {
  const { group, variants, ...rest } = options;
  return sideBySideGroups({
    ...rest,
    groups: [group],
    variants: variants.map((variant) => ({ name: variant.name, run: async (round: number) => ({ [group]: await variant.run(round) }) })),
  });
}

/** `sideBySide` for variants that each measure every one of `groups` per run. Rows: by group, then variant. */
export async function sideBySideGroups(options: {
  groups: readonly string[];
  metric: Metric;
  variants: readonly MultiVariant[];
  baselines: readonly string[];
  rounds: number;
  log?: (message: string) => void;
}): Promise<Row[]> {
  const { groups, metric, variants, baselines, rounds, log } = options;
  const samples = new Samples();
  for (let round = 0; round < rounds; round++) {
    for (const variant of variants) {
      const measured = await variant.run(round);
      for (const group of groups) {
        const sample = measured[group];
        if (!sample) throw new Error(`${variant.name} measured nothing for ${group}`);
        samples.add(group, variant.name, sample);
        log?.(`  ${group} · ${variant.name} · round ${round + 1}/${rounds}: ${format(sample.value)} ${metric.unit}`);
      }
    }
  }
  return samples.rows({ groups, variants: variants.map((variant) => variant.name), metric, baselines });
}

/** Samples by group and variant, for cases that interleave their runs themselves. */
export class Samples {
  readonly #samples = new Map<string, Sample[]>();

  add(group: string, variant: string, sample: Sample): void {
    const key = `${group}\u0000${variant}`;
    const list = this.#samples.get(key) ?? [];
    list.push(sample);
    this.#samples.set(key, list);
  }

  get(group: string, variant: string): Sample[] {
    return this.#samples.get(`${group}\u0000${variant}`) ?? [];
  }

  /** One row per group and variant (in the order given): medians, ratios to the baselines. */
  rows(options: { groups: readonly string[]; variants: readonly string[]; metric: Metric; baselines: readonly string[] }): Row[] {
    const { groups, variants, metric, baselines } = options;
    const medianOf = (group: string, variant: string) => median(this.get(group, variant).map((sample) => sample.value));
    return groups.flatMap((group) =>
      variants.map((variant): Row => {
        const list = this.get(group, variant);
        const value = medianOf(group, variant);
        const ratios: Record<string, number> = {};
        for (const baseline of baselines) {
          if (!variants.includes(baseline)) continue;
          const base = medianOf(group, baseline);
          ratios[baseline] = metric.better === 'higher' ? value / base : base / value;
        }
        const extraKeys = new Set(list.flatMap((sample) => Object.keys(sample.extra ?? {})));
        const extra: Record<string, number> = {};
        for (const name of extraKeys) extra[name] = median(list.flatMap((sample) => (sample.extra?.[name] === undefined ? [] : [sample.extra[name]])));
        return { group, variant, metric: metric.name, unit: metric.unit, median: value, samples: list.map((sample) => sample.value), ratios, extra };
      }),
    );
  }
}

/** Times `action` in milliseconds (high resolution). */
export async function timeMs(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

/** What `timeRecords` measured: throughput, wall time and this process's CPU per record. */
export interface RecordsTiming<T> {
  result: T;
  /** records per second */
  value: number;
  ms: number;
  cpuPerRecord: number;
}

/**
 * Times `action` that handles `records` records, after a garbage collection: records/s, wall
 * milliseconds, and CPU µs per record of this process (all threads; steadier than wall time on
 * a loaded machine).
 */
export async function timeRecords<T>(records: number, action: () => Promise<T>): Promise<RecordsTiming<T>> {
  collectGarbage();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await action();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { result, value: (records / ms) * 1000, ms, cpuPerRecord: (used.user + used.system) / records };
}

/** A number with 3 significant digits (and no exponent for the usual ranges). */
export function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

export function formatRatio(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  return `${value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toFixed(3)}×`;
}

/** A plain-text table with aligned columns (numbers right-aligned). */
export function table(header: readonly string[], lines: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const numeric = header.map((_, column) => lines.length > 0 && lines.every((line) => /^[-\d.,×%+ ]*$/.test(line[column] ?? '')));
  const render = (cells: readonly string[]) =>
    cells.map((cell, column) => (numeric[column] ? cell.padStart(widths[column] as number) : cell.padEnd(widths[column] as number))).join('  ').trimEnd();
  return [render(header), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.map(render)].join('\n');
}

/** The human form of one case: its table, its goals and its notes. */
export function renderCase(result: CaseResult): string {
  const baselines = [...new Set(result.rows.flatMap((row) => Object.keys(row.ratios)))];
  const extraKeys = [...new Set(result.rows.flatMap((row) => Object.keys(row.extra)))];
  const header = ['group', 'variant', 'median', 'unit', ...baselines.map((name) => `vs ${name}`), ...extraKeys, 'rounds'];
  const lines = result.rows.map((row) => [
    row.group,
    row.variant,
    format(row.median),
    row.unit,
    ...baselines.map((name) => formatRatio(row.ratios[name])),
    ...extraKeys.map((key) => (row.extra[key] === undefined ? '' : format(row.extra[key] as number))),
    String(row.samples.length),
  ]);
  const load = `load average ${result.loadAverage[0].toFixed(1)} → ${result.loadAverage[1].toFixed(1)}`;
  const parts = [`## ${result.case}: ${result.title}  (${result.seconds.toFixed(1)} s, ${load})`, table(header, lines)];
  if (result.goals.length > 0) {
    parts.push(result.goals.map((goal) => `  ${goal.met ? 'MET   ' : 'MISSED'}  ${goal.goal}: ${goal.detail}`).join('\n'));
  }
  if (result.notes.length > 0) parts.push(result.notes.map((note) => `  note: ${note}`).join('\n'));
  return parts.join('\n');
}

/** Finds a row (throws if the case did not produce it: a bug in the case, not a result). */
export function rowOf(rows: readonly Row[], group: string, variant: string): Row {
  const row = rows.find((candidate) => candidate.group === group && candidate.variant === variant);
  if (!row) throw new Error(`no row ${group} / ${variant}`);
  return row;
}
