import t from 'tap'
import { fmix32, hashString, keyOf } from '../../src/lb/hash.js'
import { clientIPs } from './synthetic-load.js'

t.test('hashes are unsigned 32-bit, deterministic and seed-dependent', async (t) => {
  const h = hashString('10.0.0.1')
  t.equal(h, hashString('10.0.0.1'))
  t.ok(Number.isInteger(h) && h >= 0 && h < 2 ** 32)
  t.not(hashString('10.0.0.1', 1), h)
  t.not(hashString('10.0.0.2'), h)
  t.equal(fmix32(0), 0, 'the murmur3 finaliser maps 0 to 0')
})

t.test('end hashes a prefix without slicing', async (t) => {
  t.equal(hashString('10.1.2.3', 0, 6), hashString('10.1.2'))
  t.equal(hashString('abc', 7, 0), hashString('', 7))
})

t.test('sequential addresses spread evenly over 16 buckets (χ² < 37.70, α = 0.001, 15 df)', async (t) => {
  const buckets = new Array<number>(16).fill(0)
  const ips = clientIPs(16000)
  for (const ip of ips) buckets[hashString(ip) >>> 28]!++
  const x = buckets.reduce((acc, c) => acc + (c - 1000) ** 2 / 1000, 0)
  t.ok(x < 37.7, `χ² = ${x.toFixed(2)}`)
})

t.test('keyOf prefers the hash key, then the client IP', async (t) => {
  t.equal(keyOf({ hashKey: 'k', clientIP: '1.2.3.4' }), 'k')
  t.equal(keyOf({ clientIP: '1.2.3.4' }), '1.2.3.4')
  t.equal(keyOf({}), undefined)
  t.equal(keyOf(undefined), undefined)
})
