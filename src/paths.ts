/**
 * Why a file or folder cannot be written, told before any work and without creating anything, so
 * a bad output path costs a message instead of a finished run's output. Synchronous: it runs
 * once at start, and the SQLite store opens synchronously too.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';

function statOf(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    // Missing (or unreadable) is an answer here; the caller walks up to what does exist.
    return null;
  }
}

function canWrite(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

/**
 * The nearest existing folder above `path`, or the reason there is none: a file where a
 * folder must be (`report.json/out.md`, `../sim.yaml/s.sqlite`).
 */
function existingParent(path: string): { dir: string } | { problem: string } {
  let current = dirname(resolve(path));
  for (;;) {
    const stats = statOf(current);
    if (stats?.isDirectory()) return { dir: current };
    if (stats !== null) return { problem: `${current} is a file, not a folder` };
    const parent = dirname(current);
    if (parent === current) return { problem: `no folder of ${path} exists` };
    current = parent;
  }
}

/**
 * Why `file` cannot be created or overwritten, or null when it can. Missing folders are fine:
 * they are created when the file is written.
 *
 * @example
 * whyNotWritable('../sim.yaml/report.json'); // "/home/me/sim.yaml is a file, not a folder"
 */
export function whyNotWritable(file: string): string | null {
  const stats = statOf(file);
  if (stats?.isDirectory()) return `${file} is a folder`;
  if (stats !== null) return canWrite(file, constants.W_OK) ? null : `${file} is not writable`;

  const parent = existingParent(file);
  if ('problem' in parent) return parent.problem;
  return canWrite(parent.dir, constants.W_OK | constants.X_OK)
    ? null
    : `cannot create files in ${parent.dir} (permission denied)`;
}

/** Why files cannot be created in `dir` (created if missing), or null when they can. */
export function whyNotWritableFolder(dir: string): string | null {
  const stats = statOf(dir);
  if (stats !== null && !stats.isDirectory()) return `${dir} is a file, not a folder`;
  if (stats !== null) {
    return canWrite(dir, constants.W_OK | constants.X_OK)
      ? null
      : `cannot create files in ${dir} (permission denied)`;
  }

  return whyNotWritable(resolve(dir, 'probe'));
}
