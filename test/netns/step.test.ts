import t from 'tap'
import { RecordingRunner } from '../../src/netns/exec.js'
import { runSteps, stepLine, UnsafeStepError, validateStep, type Step } from '../../src/netns/step.js'

t.test('each step kind becomes one exact command line', async (t) => {
  t.equal(stepLine({ op: 'netns-add', netns: 'kplab-a-n' }), 'ip netns add kplab-a-n')
  t.equal(stepLine({ op: 'netns-delete', netns: 'kplab-a-n' }), 'ip netns delete kplab-a-n')
  t.equal(stepLine({ op: 'ip', netns: 'kplab-a-n', args: ['link', 'set', 'lo', 'up'] }), 'ip -n kplab-a-n link set lo up')
  t.equal(
    stepLine({ op: 'exec', netns: 'kplab-a-n', cmd: 'sysctl', args: ['-w', 'net.ipv4.ip_forward=1'] }),
    'ip netns exec kplab-a-n sysctl -w net.ipv4.ip_forward=1',
  )
})

t.test('a step without a namespace, or one that could reach the root namespace, is rejected', async (t) => {
  const bad: unknown[] = [
    { op: 'ip', args: ['link', 'set', 'lo', 'up'] },
    { op: 'ip', netns: '', args: ['link'] },
    { op: 'exec', cmd: 'sysctl', args: ['-w', 'net.ipv4.ip_forward=1'] },
    { op: 'ip', netns: 'kplab-a-n', args: ['netns', 'add', 'x'] },
    { op: 'ip', netns: 'kplab-a-n', args: ['link', 'set', 'eth0', 'netns', '1'] },
    { op: 'ip', netns: 'kplab-a-n', args: ['link', 'set', 'eth0', '-n', 'other'] },
    { op: 'ip', netns: 'kplab-a-n', args: [] },
    { op: 'exec', netns: 'kplab-a-n', cmd: '', args: [] },
    { op: 'rm', netns: 'kplab-a-n' },
  ]
  for (const s of bad) t.throws(() => validateStep(s as Step), UnsafeStepError, JSON.stringify(s))
  t.throws(() => validateStep({ op: 'ip', args: ['link'] } as unknown as Step), /has no netns/)
})

t.test('runSteps checks the whole plan before running any of it', async (t) => {
  const runner = new RecordingRunner()
  const steps = [{ op: 'netns-add', netns: 'kplab-a-n' }, { op: 'ip', args: ['addr', 'add', '10.0.0.1/24', 'dev', 'eth0'] }] as Step[]
  await t.rejects(runSteps(runner, steps), UnsafeStepError)
  t.same(runner.calls, [], 'nothing ran')
  await runSteps(runner, [steps[0]!])
  t.same(runner.lines(), ['ip netns add kplab-a-n'])
})
