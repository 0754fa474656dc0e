import { readFile, unlink, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { StoreUnavailableError } from '../errors.js'

/** Data dirs held by stores in this process (a second store on one dir would corrupt its log). */
const heldHere = new Set<string>()

/** True when a process with this id exists (signal 0 checks without signalling). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Claims dir for one store: a `LOCK` file holding the owner's pid, refused while that process
 * lives (or while another store in this process holds dir). A lock left by a dead process is taken
 * over. Returns the release function.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const abs = resolve(dir)
  const path = join(abs, 'LOCK')
  if (heldHere.has(abs)) throw new StoreUnavailableError(`data dir ${abs} is already open in this process; close the other store first`)
  let owner: number | undefined
  try {
    owner = Number((await readFile(path, 'utf8')).trim()) || undefined
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  if (owner !== undefined && owner !== process.pid && alive(owner)) {
    throw new StoreUnavailableError(`data dir ${abs} is in use by process ${owner}; stop it, or delete ${path} if that process is not a kplab store`)
  }
  heldHere.add(abs)
  await writeFile(path, `${process.pid}\n`)
  return async () => {
    heldHere.delete(abs)
    await unlink(path).catch(() => undefined)
  }
}
