// The pod network contract: give a pod an address (and, when root, its own namespace) and take it
// back. Two implementations: netns.ts (root) and loopback.ts (no root).

/** Where a pod's processes run and how they are reached. */
export interface PodSandbox {
  podIP: string
  /** The pod's named network namespace; undefined: processes run in the kubelet's namespace. */
  netns?: string
  /** The address pod processes should bind (the pod IP on loopback, all addresses in a netns). */
  bindAddress: string
}

/** Sets up and tears down pod networking; both are idempotent (a restarted kubelet calls them again). */
export interface PodNetwork {
  /** Short name for logs and the node annotation (`netns` or `loopback`). */
  readonly mode: 'netns' | 'loopback'
  setup(pod: { uid: string; namespace: string; name: string }): Promise<PodSandbox>
  teardown(uid: string): Promise<void>
  /** The address a pod holds, without setting anything up (for adoption). */
  addressOf(uid: string): string | undefined
}
