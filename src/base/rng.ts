import seedrandom from 'seedrandom'
import { randomBytes } from 'node:crypto'

/** A source of uniform numbers in [0, 1); every random choice in kplab takes one. */
export type Rng = () => number

/** A reproducible generator: the same seed gives the same sequence. */
export function seededRng(seed: string | number): Rng {
  const prng = seedrandom(String(seed))
  return () => prng.quick()
}

/** A generator seeded from the OS, for production use where reproducibility is not wanted. */
export function entropyRng(): Rng {
  return seededRng(randomBytes(16).toString('hex'))
}

/** A uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n)
}

/** Random hex string of the given byte length from the OS (tokens, uids); not for reproducible choices. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}
