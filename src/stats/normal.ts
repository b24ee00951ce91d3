/**
 * Standard normal draws by the ziggurat method (Marsaglia and Tsang, "The Ziggurat Method for
 * Generating Random Variables", J. Stat. Softw. 5(8), 2000), 128 layers.
 *
 * Why not the polar method: the ziggurat accepts about 98.8% of draws with one uniform, a table
 * look-up and a multiply, where the polar method needs two uniforms, a logarithm and a square root
 * and rejects 21%. The Gamma and Beta samplers call it once per Gamma draw, so it sets their speed
 * (bench/bandit.ts measures it).
 *
 * One 32-bit word gives both the layer and the value: the low 7 bits pick the layer and the upper
 * 25 bits (sign and 24 bits of magnitude) the position in it. The original reused the index bits
 * inside the value, a correlation Doornik (2005) showed in long runs; disjoint bits avoid it.
 */
import type { Rng } from './random.ts';

const LAYERS = 128;
/** Start of the tail, and the common area of every layer, for 128 layers (Marsaglia-Tsang). */
const R = 3.442619855899;
const AREA = 9.91256303526217e-3;
/** 2^24: the magnitude bits of a draw. */
const SCALE = 16_777_216;
const TWO_32 = 4_294_967_296;

/** Accept |j| < K[i] without evaluating the density. */
const K = new Float64Array(LAYERS);
/** x = j * W[i]. */
const W = new Float64Array(LAYERS);
/** The density exp(-x^2 / 2) at each layer's edge. */
const F = new Float64Array(LAYERS);

function buildTables(): void {
  let edge = R;
  let outer = R;
  // The base layer is a rectangle of width AREA / f(R) plus the tail beyond R.
  const base = AREA / Math.exp(-0.5 * R * R);
  K[0] = (R / base) * SCALE;
  K[1] = 0;
  W[0] = base / SCALE;
  W[LAYERS - 1] = R / SCALE;
  F[0] = 1;
  F[LAYERS - 1] = Math.exp(-0.5 * R * R);
  // Each layer above has the same area: x_{i-1} solves f(x_{i-1}) = AREA / x_i + f(x_i).
  for (let i = LAYERS - 2; i >= 1; i--) {
    edge = Math.sqrt(-2 * Math.log(AREA / edge + Math.exp(-0.5 * edge * edge)));
    K[i + 1] = (edge / outer) * SCALE;
    outer = edge;
    F[i] = Math.exp(-0.5 * edge * edge);
    W[i] = edge / SCALE;
  }
}
buildTables();

/** The rare path: the tail beyond R, or the wedge between a layer's rectangle and the curve. */
function normalSlow(rng: Rng, word: number): number {
  for (;;) {
    const i = word & 127;
    const j = word >> 7;
    if (Math.abs(j) < (K[i] as number)) return j * (W[i] as number);

    if (i === 0) {
      // Marsaglia's tail: x = -ln(U1) / R is accepted when -2 ln(U2) > x^2.
      let x: number;
      let y: number;
      do {
        x = -Math.log(1 - rng()) / R;
        y = -Math.log(1 - rng());
      } while (y + y < x * x);
      return j > 0 ? R + x : -R - x;
    }

    const x = j * (W[i] as number);
    const below = F[i] as number;
    if (below + rng() * ((F[i - 1] as number) - below) < Math.exp(-0.5 * x * x)) return x;
    word = (rng() * TWO_32) | 0;
  }
}

/** A standard normal draw (ziggurat). */
export function normal(rng: Rng): number {
  // rng() is a multiple of 2^-32 for createRng, so this recovers its 32-bit word exactly; for a
  // generator with more bits it takes the top 32.
  const word = (rng() * TWO_32) | 0;
  const j = word >> 7;
  const i = word & 127;
  if (Math.abs(j) < (K[i] as number)) return j * (W[i] as number);

  return normalSlow(rng, word);
}
