import { describe, expect, it } from 'vitest';
import { isConfigError } from '../errors.ts';
import { refusal } from '../../test/support/errors.ts';
import { demoSimFlags } from './demo.ts';
import { FLAG_RANGES, durationFlag, listenProblem, numberFlag, wholeFlag } from './flags.ts';
import { simOptions } from './sim.ts';

describe('wholeFlag', () => {
  it.each(['abc', '70000', '-1', '1.5', '', ' ', '1e3', '0x10'])('refuses --port %j', (text) => {
    expect(refusal(() => wholeFlag('port', text, FLAG_RANGES.port))).toBe(
      `--port: got "${text}", expected a whole number from 0 to 65535`,
    );
  });

  it('reads whole numbers within the range', () => {
    expect(wholeFlag('port', '0', FLAG_RANGES.port)).toBe(0);
    expect(wholeFlag('port', '65535', FLAG_RANGES.port)).toBe(65_535);
    expect(wholeFlag('limit', '12', { min: 1 })).toBe(12);
    expect(refusal(() => wholeFlag('limit', '0', { min: 1 }))).toBe(
      '--limit: got "0", expected a whole number >= 1',
    );
  });
});

describe('numberFlag and durationFlag', () => {
  it('refuses what the check refuses, and text that is no number', () => {
    const level = (text: string) =>
      refusal(() => numberFlag('level', text, (v) => v > 0 && v < 1, 'a number in (0, 1)'));
    expect(level('1.5')).toBe('--level: got "1.5", expected a number in (0, 1)');
    expect(level('Infinity')).toContain('--level: got "Infinity"');
    expect(level('0.9')).toBe('accepted');
  });

  it('reads durations in every config format and bounds them', () => {
    expect(durationFlag('latency', '1.5s', FLAG_RANGES.latencyMs)).toBe(1500);
    expect(durationFlag('latency', '25', FLAG_RANGES.latencyMs)).toBe(25);
    expect(refusal(() => durationFlag('latency', '-5', FLAG_RANGES.latencyMs))).toBe(
      '--latency: got "-5", expected a duration from 0 to 60000 ms: milliseconds (1500) or a ' +
        'number with a unit: "250ms", "1.5s", "2m", "1h"',
    );
    expect(refusal(() => durationFlag('latency', '2m', FLAG_RANGES.latencyMs))).toContain(
      '--latency: got "2m"',
    );
  });
});

describe('command flags', () => {
  const sim = { port: '8787', seed: '42', accounts: '3', latency: '0' };

  it('checks every numeric flag of flywheel sim (the trial cases)', () => {
    expect(refusal(() => simOptions({ ...sim, port: 'abc' }))).toContain('--port: got "abc"');
    expect(refusal(() => simOptions({ ...sim, port: '70000' }))).toContain('--port: got "70000"');
    expect(refusal(() => simOptions({ ...sim, port: '-1' }))).toContain('--port: got "-1"');
    for (const accounts of ['abc', '-1', '0']) {
      expect(refusal(() => simOptions({ ...sim, accounts }))).toContain(
        `--accounts: got "${accounts}", expected a whole number from 1 to 1000`,
      );
    }
    expect(refusal(() => simOptions({ ...sim, seed: 'abc' }))).toContain('--seed: got "abc"');
    expect(refusal(() => simOptions({ ...sim, latency: '-5' }))).toContain('--latency: got "-5"');
    expect(simOptions(sim)).toMatchObject({ port: 8787, seed: 42, latencyMs: 0 });
  });

  it('checks the demo flags before the simulator starts', () => {
    const demo = { seed: '42', accounts: '3', latency: '5' };
    expect(refusal(() => demoSimFlags({ ...demo, seed: 'abc' }))).toBe(
      '--seed: got "abc", expected a whole number from 0 to 4294967295',
    );
    expect(refusal(() => demoSimFlags({ ...demo, accounts: 'abc' }))).toContain(
      '--accounts: got "abc"',
    );
    expect(demoSimFlags(demo)).toEqual({ seed: 42, accounts: 3, latencyMs: 5 });
  });
});

describe('listenProblem', () => {
  it('names the flag and the address of a port in use', () => {
    const inUse = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    const problem = listenProblem(inUse, '--port', '127.0.0.1:8787');
    expect(isConfigError(problem)).toBe(true);
    expect((problem as Error).message).toBe(
      '--port: 127.0.0.1:8787 is already in use; choose another port, or 0 for any free one',
    );
    const other = new Error('boom');
    expect(listenProblem(other, '--port', '127.0.0.1:1')).toBe(other);
  });

  it('names the host flag for an address that is not this machine', () => {
    const foreign = Object.assign(new Error('listen EADDRNOTAVAIL'), { code: 'EADDRNOTAVAIL' });
    const problem = listenProblem(foreign, '--port', '10.1.2.3:9464', '--host');
    expect((problem as Error).message).toBe(
      '--host: 10.1.2.3:9464 is not an address of this machine',
    );
  });
});
