// What a pod asks for and what a node offers, in the units the scheduler compares.
// upstream: pkg/scheduler/framework/types.go (Resource), pkg/api/v1/resource/helpers.go (PodRequests)
import type { Node, Pod } from '../api/types.js'
import { milliCPU, parseQuantity } from './quantity.js'

/** Amounts of the resources kplab schedules on. */
export interface Resources {
  milliCPU: number
  memory: number
  pods: number
}

/** Requests assumed for scoring when a pod gives none (upstream DefaultMilliCPURequest / DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100
/** 200 MiB, upstream's default memory request for scoring. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024

/** The sum of a pod's container requests, max'd with each init container (upstream PodRequests). */
export function podRequests(pod: Pod): Resources {
  let cpu = 0
  let mem = 0
  for (const c of pod.spec.containers ?? []) {
    const r = c.resources?.requests ?? {}
    if (r.cpu !== undefined) cpu += milliCPU(r.cpu)
    if (r.memory !== undefined) mem += parseQuantity(r.memory)
  }
  for (const c of pod.spec.initContainers ?? []) {
    const r = c.resources?.requests ?? {}
    if (r.cpu !== undefined) cpu = Math.max(cpu, milliCPU(r.cpu))
    if (r.memory !== undefined) mem = Math.max(mem, parseQuantity(r.memory))
  }
  return { milliCPU: cpu, memory: mem, pods: 1 }
}

/** Requests with upstream's non-zero defaults for containers that give none, used only by scores. */
export function nonZeroRequests(pod: Pod): Resources {
  let cpu = 0
  let mem = 0
  for (const c of pod.spec.containers ?? []) {
    const r = c.resources?.requests ?? {}
    cpu += r.cpu !== undefined ? milliCPU(r.cpu) : DEFAULT_MILLI_CPU_REQUEST
    mem += r.memory !== undefined ? parseQuantity(r.memory) : DEFAULT_MEMORY_REQUEST
  }
  return { milliCPU: cpu, memory: mem, pods: 1 }
}

/** A node's allocatable resources (falling back to capacity); missing pods means upstream's 110. */
export function nodeAllocatable(node: Node): Resources {
  const a = node.status?.allocatable ?? node.status?.capacity ?? {}
  return {
    milliCPU: a.cpu !== undefined ? milliCPU(a.cpu) : 0,
    memory: a.memory !== undefined ? parseQuantity(a.memory) : 0,
    pods: a.pods !== undefined ? parseQuantity(a.pods) : 110,
  }
}

/** a + b, field by field. */
export function addResources(a: Resources, b: Resources): Resources {
  return { milliCPU: a.milliCPU + b.milliCPU, memory: a.memory + b.memory, pods: a.pods + b.pods }
}

/** a − b, field by field. */
export function subResources(a: Resources, b: Resources): Resources {
  return { milliCPU: a.milliCPU - b.milliCPU, memory: a.memory - b.memory, pods: a.pods - b.pods }
}

/** All zero. */
export const ZERO: Resources = Object.freeze({ milliCPU: 0, memory: 0, pods: 0 })
