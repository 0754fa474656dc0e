/** The `/version` body (upstream version.Info). */
export interface VersionInfo {
  major: string
  minor: string
  gitVersion: string
  gitCommit: string
  gitTreeState: string
  buildDate: string
  goVersion: string
  compiler: string
  platform: string
}

/** The Kubernetes version kplab reports; kubectl's dispatcher picks its kubectl by major/minor. */
export const KPLAB_GIT_VERSION = 'v1.32.0-kplab'

/**
 * The `/version` answer. `major:"1", minor:"32"` make Google Cloud SDK's kubectl dispatcher run the
 * kubectl 1.32 that kubectl-surface.md describes; gitVersion must parse as a semver.
 */
export function versionInfo(overrides: Partial<VersionInfo> = {}): VersionInfo {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  return {
    major: '1',
    minor: '32',
    gitVersion: KPLAB_GIT_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-11-01T00:00:00Z',
    // There is no Go here: report the runtime that actually serves the API.
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${arch}`,
    ...overrides,
  }
}
