// A hand-filled report, shaped as a measured run would fill it (no simulator involved).
import type { Report } from '../../../src/sim/report/types.js'

/** A measured-style report with two algorithms over three backends. */
export function measuredReport(): Report {
  return {
    title: 'uniform',
    source: 'measured',
    timeUnit: 'ms',
    backends: ['pod-a', 'pod-b', 'pod-c'],
    algorithms: [
      {
        name: 'round-robin',
        params: {},
        label: 'round-robin',
        completed: 300,
        metrics: { maxLoad: 4, meanLoad: 1.25, meanResponseTime: 2.5, p50: 2, p99: 9.5, p999: 12, jain: 1, share: { 'pod-a': 1 / 3, 'pod-b': 1 / 3, 'pod-c': 1 / 3 }, remapped: 0, failed: 0 },
        samples: { responseCdf: [{ value: 1, fraction: 0.1 }, { value: 2, fraction: 0.5 }, { value: 12, fraction: 1 }], load: [{ time: 0, mean: 0, max: 0 }, { time: 10, mean: 1, max: 3 }] },
      },
      {
        name: 'random',
        params: {},
        label: 'random',
        completed: 298,
        metrics: { maxLoad: 7, meanLoad: 1.5, meanResponseTime: Number.NaN, p50: Number.NaN, p99: Number.NaN, p999: Number.NaN, jain: 0.9, share: { 'pod-a': 0.5, 'pod-b': 0.25, 'pod-c': 0.25 }, remapped: 3, failed: 2 },
        samples: { responseCdf: [], load: [{ time: 0, mean: 0, max: 0 }] },
      },
    ],
  }
}
