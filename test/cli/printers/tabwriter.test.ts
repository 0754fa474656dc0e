import t from 'tap'
import { DESCRIBE_TABWRITER, GET_TABWRITER, tabwrite } from '../../../src/cli/printers/tabwriter.js'

t.test('kubectl get alignment: width = widest + 3, at least 6; last column not padded', async (t) => {
  const text = 'NAME\tREADY\tAGE\nweb-1\t1/1\t5m\n'
  t.equal(tabwrite(text, GET_TABWRITER), 'NAME    READY   AGE\nweb-1   1/1     5m\n')
  t.equal(tabwrite('A\tB\n', GET_TABWRITER), 'A     B\n', 'minimum width 6')
})

t.test('columns align per block of lines that have the cell (describe)', async (t) => {
  const text = 'Name:\tweb\nNamespace:\tdefault\nContainers:\n  nginx:\n    Image:\tnginx\n    Restart Count:\t0\n'
  t.equal(
    tabwrite(text, DESCRIBE_TABWRITER),
    'Name:       web\nNamespace:  default\nContainers:\n  nginx:\n    Image:          nginx\n    Restart Count:  0\n',
  )
})
