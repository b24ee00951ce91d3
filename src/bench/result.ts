/** The whole result of `flywheel bench`, as `--json` writes it and `--baseline` reads it. */
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import type { BaselineComparison } from './baseline.ts';
import type { Check, FloorFigures } from './checks.ts';
import type { SampleStats } from './figures.ts';
import type { ScaleResult } from './scale.ts';
import type { Scenario } from './scenario.ts';
import type { TargetSummary } from './summary.ts';

/** The format version of the JSON; a baseline of another version is refused. */
export const RESULT_VERSION = 1;

/** Where the bench ran. */
export interface Machine {
  /** Logical CPUs (`nproc`). */
  cpus: number;
  /** From /proc/cpuinfo, else `os.cpus()`. */
  cpuModel: string;
  node: string;
  platform: string;
  /** How the children ran: `compiled` JavaScript or `tsx` from the TypeScript sources. */
  runtime: string;
}

/** Everything one `flywheel bench` measured and concluded. */
export interface BenchResult {
  version: typeof RESULT_VERSION;
  createdAt: string;
  machine: Machine;
  scenario: Scenario;
  /** Peak RSS of children that only load the modules, bytes. */
  floor: SampleStats;
  targets: TargetSummary[];
  /** The scrape's wall time against its critical-path floor (when the scrape was measured). */
  scrapeFloor?: FloorFigures;
  requirements: Check[];
  goals: Check[];
  scale?: ScaleResult;
  baseline?: BaselineComparison;
  /** Things a reader should know: counts that varied, server and client disagreeing. */
  notes: string[];
}

/** The machine this process runs on. */
export function describeMachine(runtime: string): Machine {
  return {
    cpus: cpus().length,
    cpuModel: cpuModel(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    runtime,
  };
}

function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const line = /^model name\s*:\s*(.+)$/m.exec(info);
    if (line?.[1] !== undefined) return line[1].trim();
  } catch {
    // Not Linux: os.cpus() below knows the model too.
  }

  return cpus()[0]?.model.trim() ?? 'unknown';
}
