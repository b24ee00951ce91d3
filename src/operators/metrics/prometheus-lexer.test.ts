import { describe, expect, it } from 'vitest';
import { createRng } from '../../stats/index.ts';
import { numberAt } from './prometheus-lexer.ts';

/** A random decimal as exporters write them: 1-18 digits, a dot anywhere, an exponent or not. */
function randomDecimal(rng: () => number): string {
  const digits = Array.from({ length: 1 + Math.floor(rng() * 18) }, () =>
    Math.floor(rng() * 10),
  ).join('');
  const dot = Math.floor(rng() * (digits.length + 2)) - 1;
  const body = dot < 0 ? digits : `${digits.slice(0, dot)}.${digits.slice(dot)}`;
  const sign = rng() < 0.2 ? '-' : rng() < 0.1 ? '+' : '';
  const exponent =
    rng() < 0.5
      ? ''
      : `${rng() < 0.5 ? 'e' : 'E'}${rng() < 0.5 ? '-' : '+'}${Math.floor(rng() * 40)}`;
  return `${sign}${body}${exponent}`;
}

describe('numberAt', () => {
  it('gives exactly the double Number() gives for 200,000 random decimals', () => {
    const rng = createRng(21);
    const mismatches: string[] = [];
    for (let k = 0; k < 200_000; k += 1) {
      const text = randomDecimal(rng);
      if (text === '.' || text === '-.' || text === '+.') continue;
      if (!Object.is(numberAt(text, 0, text.length), Number(text))) mismatches.push(text);
    }

    expect(mismatches).toEqual([]);
  });

  it('reads a number inside a longer text without reading past its end', () => {
    expect(numberAt('x 12.5e-3 9', 2, 9)).toBe(0.0125);
    expect(numberAt('x 12.5e-3 9', 2, 4)).toBe(12);
    expect(numberAt('x -0 9', 2, 4)).toBe(-0);
  });

  it('refuses empty text, lone signs and dots, and exponents without digits', () => {
    for (const text of ['', '-', '+', '.', '1e', '1e+', '1.2.3', 'e5', '--1']) {
      expect(numberAt(text, 0, text.length)).toBeUndefined();
    }
  });
});
