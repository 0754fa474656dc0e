// What an image means to kplab's process runtime: a built-in image is a small Node script shipped in
// src/kubelet/images/, run with this Node binary; any other image runs only when the pod gives a
// `command` found on the host. Everything else cannot be "pulled".
import { accessSync, constants, existsSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Container } from '../../api/types.js'

/** The built-in images and the script each runs. */
export const BUILTIN_IMAGES: Readonly<Record<string, string>> = {
  'kplab/echo': 'echo.mjs',
  'kplab/tcp-echo': 'tcp-echo.mjs',
  'kplab/udp-echo': 'udp-echo.mjs',
}

/** The program a container runs: an executable and its arguments. */
export interface ResolvedImage {
  ok: true
  /** Image name without tag, as written in status (`kplab/echo`). */
  image: string
  cmd: string
  args: string[]
  /** True for a built-in image (it reads POD_* env and PORT). */
  builtin: boolean
}

/** Why a container cannot start: a waiting reason and a message for `kubectl describe`. */
export interface ImageError {
  ok: false
  reason: 'ErrImagePull' | 'InvalidImageName'
  message: string
}

/** Strips `:tag`, `@digest` and a `docker.io/` prefix, so `kplab/echo:latest` is `kplab/echo`. */
export function imageName(image: string): string {
  let name = image.split('@')[0]!
  const slash = name.lastIndexOf('/')
  const colon = name.lastIndexOf(':')
  if (colon > slash) name = name.slice(0, colon)
  return name.replace(/^docker\.io\//, '')
}

/** Finds an executable: an absolute path as is, a bare name on PATH; undefined when not found. */
export function findOnPath(cmd: string, pathEnv: string): string | undefined {
  const executable = (p: string): boolean => {
    try {
      accessSync(p, constants.X_OK)
      return true
    } catch {
      return false
    }
  }
  if (isAbsolute(cmd) || cmd.includes('/')) return executable(cmd) ? cmd : undefined
  for (const dir of pathEnv.split(delimiter)) {
    if (dir && executable(join(dir, cmd))) return join(dir, cmd)
  }
  return undefined
}

/**
 * Resolves a container's image and command into a program to spawn.
 * A built-in image runs its script (`command` replaces the script, as an entrypoint override);
 * any image with a `command` found on the host runs that; everything else is ErrImagePull.
 */
export function resolveImage(c: Pick<Container, 'image' | 'command' | 'args'>, opts: { pathEnv: string; nodeExecPath: string }): ResolvedImage | ImageError {
  const image = c.image ?? ''
  if (image.trim() === '') return { ok: false, reason: 'InvalidImageName', message: 'container has no image; use one of ' + Object.keys(BUILTIN_IMAGES).join(', ') }
  const name = imageName(image)
  const command = c.command ?? []
  const args = c.args ?? []
  if (command.length > 0) {
    const found = findOnPath(command[0]!, opts.pathEnv)
    if (found) return { ok: true, image: name, cmd: found, args: [...command.slice(1), ...args], builtin: name in BUILTIN_IMAGES }
    if (!(name in BUILTIN_IMAGES)) {
      return { ok: false, reason: 'ErrImagePull', message: `${notPullable(image)}; command ${JSON.stringify(command[0])} was not found on the host either` }
    }
  }
  const script = BUILTIN_IMAGES[name]
  if (!script) return { ok: false, reason: 'ErrImagePull', message: notPullable(image) }
  return { ok: true, image: name, cmd: opts.nodeExecPath, args: [builtinScriptPath(script), ...args], builtin: true }
}

/** The absolute path of a built-in image's script (next to this module, or in src/ when running from dist/). */
export function builtinScriptPath(script: string): string {
  const beside = fileURLToPath(new URL(`../images/${script}`, import.meta.url))
  if (existsSync(beside)) return beside
  // tsc does not copy .mjs files into dist/: the compiled kubelet runs the scripts from src/.
  return fileURLToPath(new URL(`../../../src/kubelet/images/${script}`, import.meta.url))
}

function notPullable(image: string): string {
  return (
    `image ${JSON.stringify(image)} cannot be pulled: kplab runs processes, not container images; ` +
    `use one of ${Object.keys(BUILTIN_IMAGES).join(', ')}, or give a "command" that exists on the node`
  )
}
