import seedrandom from 'seedrandom'
import { randomBytes } from 'node:crypto'

/** A source of uniform numbers in [0, 1); every random choice in kplab takes one. */
export type Rng = () => number

/** A reproducible generator: the same seed gives the same sequence. */
export function seededRng(seed: string | number): Rng {
  const prng = seedrandom(String(seed))
  return () => prng.quick()
}

/**
 * A reproducible generator for hot loops (the simulator draws several numbers per simulated
 * request): sfc32, a small fast counting generator (Doty-Humphrey, PractRand; passes BigCrush), its
 * 128-bit state seeded from seedrandom so that any seed string works. About ten times cheaper per
 * draw than seededRng's ARC4 and allocation-free; 32 bits per draw, like seededRng. Same seed, same
 * sequence; a different sequence from seededRng's for the same seed.
 */
export function fastRng(seed: string | number): Rng {
  const init = seedrandom(`${String(seed)}/sfc32`)
  let a = init.int32() | 0
  let b = init.int32() | 0
  let c = init.int32() | 0
  let d = 1
  const next = (): number => {
    d = (d + 1) | 0
    const t = (((a + b) | 0) + d) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  // The reference seeding: discard the first outputs so the seed's bits spread through the state.
  for (let i = 0; i < 12; i++) next()
  return next
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
