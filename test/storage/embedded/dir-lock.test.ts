import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { lockDataDir } from '../../../src/storage/embedded/dir-lock.js'
import { StoreUnavailableError } from '../../../src/storage/errors.js'

t.test('lock, refuse a second holder, release', async (t) => {
  const dir = t.testdir()
  const release = await lockDataDir(dir)
  t.equal((await readFile(join(dir, 'LOCK'), 'utf8')).trim(), String(process.pid))
  await t.rejects(lockDataDir(dir), StoreUnavailableError)
  await release()
  const again = await lockDataDir(dir)
  await again()
})

t.test('a lock held by a live process is refused; a dead one is taken over', async (t) => {
  const dir = t.testdir()
  // A child process we start and stop ourselves stands in for another store's process.
  const child = spawn(process.execPath, ['-e', 'process.stdin.resume()'], { stdio: ['pipe', 'ignore', 'ignore'] })
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill()
  })
  await writeFile(join(dir, 'LOCK'), `${child.pid}\n`)
  await t.rejects(lockDataDir(dir), { name: 'StoreUnavailableError', message: new RegExp(`in use by process ${child.pid}`) })
  child.stdin!.end()
  await once(child, 'exit')
  const release = await lockDataDir(dir)
  t.equal((await readFile(join(dir, 'LOCK'), 'utf8')).trim(), String(process.pid), 'taken over from the dead process')
  await release()
})
