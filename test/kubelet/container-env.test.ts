import t from 'tap'
import type { Pod } from '../../src/api/types.js'
import { containerEnv, expand, expandCommand } from '../../src/kubelet/container-env.js'

const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'prod', uid: 'u1', labels: { app: 'web' } }, spec: { containers: [] } }
const ctx = { pod, nodeName: 'n1', podIP: '127.244.1.2', hostIP: '127.0.0.1', bindAddress: '127.244.1.2', pathEnv: '/usr/bin' }

t.test('expand: $(VAR), $$ and unknown references', async (t) => {
  t.equal(expand('a=$(A) b=$(B) $$(A)', { A: '1' }), 'a=1 b=$(B) $(A)')
})

t.test('containerEnv: POD_* for the built-in images, PORT, env values with expansion and fieldRefs', async (t) => {
  const env = containerEnv(
    {
      name: 'main',
      ports: [{ containerPort: 8080 }],
      env: [
        { name: 'ECHO_DELAY_MS', value: '50' },
        { name: 'GREETING', value: 'hi $(POD_NAME)' },
        { name: 'MY_NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      ],
    },
    ctx,
  )
  t.match(env, { PATH: '/usr/bin', POD_NAME: 'web', POD_NAMESPACE: 'prod', POD_IP: '127.244.1.2', NODE_NAME: 'n1', KPLAB_BIND_ADDRESS: '127.244.1.2', PORT: '8080', ECHO_DELAY_MS: '50', GREETING: 'hi web', MY_NODE: 'n1', APP: 'web' })
  t.same(expandCommand({ command: ['sh', '-c', 'echo $(GREETING)'] }, env), { command: ['sh', '-c', 'echo hi web'] })
})
