// The report's input: what one run (simulated here, or measured by the lab's live experiments) says
// about each algorithm. The table, markdown and charts read only this shape, so a measured run fills
// it from its own counters and prints beside a simulated one.

/** The headline numbers of one algorithm; times are in the report's time unit, NaN when unmeasured. */
export interface AlgorithmMetrics {
  /** Largest number of requests in flight (in service + queued) at one backend at any time. */
  maxLoad: number
  /** Time-averaged requests in flight per backend. */
  meanLoad: number
  meanResponseTime: number
  p50: number
  p99: number
  p999: number
  /** Jain's fairness index of requests per unit of weight over the backends: 1 is perfectly even. */
  jain: number
  /** Fraction of requests each backend received, by backend name. */
  share: Record<string, number>
  /** Requests whose client went to another backend than before, on its first request after a backend left. */
  remapped: number
  /** Requests that failed (backend down, none available, connection broken). */
  failed: number
}

/** Curves for the charts: the response-time CDF and in-flight load over time. */
export interface AlgorithmSamples {
  responseCdf: { value: number; fraction: number }[]
  load: { time: number; mean: number; max: number }[]
}

/** One algorithm's results. */
export interface AlgorithmReport {
  /** Canonical algorithm name (`power-of-two-choices`, `iptables`). */
  name: string
  params: Record<string, unknown>
  /** How tables and charts name it (unique within a report). */
  label: string
  /** Requests completed (not failed). */
  completed: number
  metrics: AlgorithmMetrics
  samples: AlgorithmSamples
}

/** A whole run: several algorithms over the same backends and workload. */
export interface Report {
  title: string
  /** Whether the numbers come from the simulator or from live traffic in the lab. */
  source: 'simulated' | 'measured'
  /** The seed of a simulated run. */
  seed?: number
  timeUnit: string
  /** Backend names, in scenario order. */
  backends: string[]
  algorithms: AlgorithmReport[]
}
