// Builds the balancer of one service port from its annotations and session affinity, falling back
// to the proxy's default (and saying why) when the Service names an unknown algorithm or bad params.
import type { Balancer, BalancerDeps } from '../../lb/balancer.js'
import { BalancerConfigError } from '../../lb/errors.js'
import { parseLbParams } from '../../lb/params.js'
import { createBalancer } from '../../lb/registry.js'
import type { ProxyServicePort } from '../service-change-tracker.js'

/** Why a Service's own choice was not used; reported as a Warning Event on the Service. */
export interface BalancerWarning {
  reason: 'UnknownLBAlgorithm' | 'InvalidLBParams'
  message: string
}

/** The balancer built, and a warning when the Service's own choice was refused. */
export interface BalancerChoice {
  balancer: Balancer
  warning: BalancerWarning | undefined
}

/** The identity of a port's balancing configuration: a new balancer is built only when it changes. */
export function balancerConfigKey(port: ProxyServicePort, defaultAlgorithm: string): string {
  return JSON.stringify([port.lbAlgorithm ?? defaultAlgorithm, port.lbParams ?? '', port.sessionAffinityClientIP, port.stickyMaxAgeSeconds])
}

/**
 * The balancer for `port`: `kplab.io/lb-algorithm` (else `defaultAlgorithm`) with
 * `kplab.io/lb-params`, plus ClientIP affinity from `spec.sessionAffinity`.
 */
export function balancerFor(port: ProxyServicePort, defaultAlgorithm: string, deps: BalancerDeps): BalancerChoice {
  // upstream: pkg/proxy/iptables/proxier.go (-m recent --rcheck --seconds stickyMaxAgeSeconds) — the same knob, here a layer
  const affinity = port.sessionAffinityClientIP ? { sessionAffinity: { timeoutSeconds: port.stickyMaxAgeSeconds } } : {}
  const name = port.lbAlgorithm?.trim() || defaultAlgorithm
  const where = `Service ${port.serviceKey}`
  try {
    const params = parseLbParams(port.lbParams)
    return { balancer: createBalancer(name, { ...params, ...affinity }, deps), warning: undefined }
  } catch (e) {
    if (!(e instanceof BalancerConfigError)) throw e
    const unknown = e.field === 'algorithm'
    const warning: BalancerWarning = unknown
      ? { reason: 'UnknownLBAlgorithm', message: `${where}: annotation kplab.io/lb-algorithm: ${e.message.replace(/^algorithm: /, '')}; using ${defaultAlgorithm}` }
      : { reason: 'InvalidLBParams', message: `${where}: annotation kplab.io/lb-params: ${e.message}; using ${unknown ? defaultAlgorithm : name} without parameters` }
    // An unknown name drops its params too (they were meant for that algorithm).
    const fallback = unknown ? defaultAlgorithm : name
    try {
      return { balancer: createBalancer(fallback, affinity, deps), warning }
    } catch {
      return { balancer: createBalancer(defaultAlgorithm, affinity, deps), warning }
    }
  }
}
