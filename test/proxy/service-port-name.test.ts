import t from 'tap'
import { parseServicePortName, serviceKeyOf, servicePortNameString } from '../../src/proxy/service-port-name.js'

t.test('ServicePortName round-trips through its string form', async (t) => {
  for (const s of ['default/web:http', 'kube-system/dns', 'a/b:c']) t.equal(servicePortNameString(parseServicePortName(s)!), s)
  t.same(parseServicePortName('default/web'), { namespace: 'default', name: 'web', port: '' })
  t.equal(serviceKeyOf({ namespace: 'ns', name: 'svc', port: 'p' }), 'ns/svc')
  for (const bad of ['web', '/web', 'ns/', 'ns/web:']) t.equal(parseServicePortName(bad), undefined, bad)
})
