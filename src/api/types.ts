// The typed shapes of every kind kplab serves; split by concept under types/, re-exported here
// so callers write `import type { Pod, Service } from '../api/types.js'`.
export type * from './types/pod.js'
export type * from './types/service.js'
export type * from './types/cluster.js'
export type * from './types/apps.js'
