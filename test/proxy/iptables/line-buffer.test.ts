import t from 'tap'
import { LineBuffer } from '../../../src/proxy/iptables/line-buffer.js'

t.test('words and word lists joined by spaces, one line each', async (t) => {
  const b = new LineBuffer()
  t.equal(b.toString(), '')
  t.same(b.toLines(), [])
  b.write('-A', 'KUBE-SERVICES', ['-m', 'comment', '--comment', '"a b"'], [], '-j', 'X')
  b.writeLine('-X KUBE-SEP-OLD')
  t.equal(b.lines, 2)
  t.equal(b.toString(), '-A KUBE-SERVICES -m comment --comment "a b" -j X\n-X KUBE-SEP-OLD\n')
})

t.test('many lines survive chunking in order', async (t) => {
  const b = new LineBuffer()
  for (let i = 0; i < 2000; i++) b.write('-A', 'C', String(i))
  const lines = b.toLines()
  t.equal(lines.length, 2000)
  t.equal(lines[0], '-A C 0')
  t.equal(lines[1999], '-A C 1999')
  b.write('-A', 'C', 'more')
  t.equal(b.toLines()[2000], '-A C more', 'writing after toString keeps appending')
})
