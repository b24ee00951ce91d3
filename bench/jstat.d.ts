// jstat ships no types; the bandit benchmark uses only its Beta sampler.
declare module 'jstat' {
  const jStat: {
    beta: {
      /** One Beta(alpha, beta) draw from Math.random. */
      sample(alpha: number, beta: number): number;
    };
  };
  export default jStat;
}
