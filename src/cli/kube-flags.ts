// What every kubectl-like command shares: the kubeconfig flags, and the streams and environment a
// command runs with (injected, so tests run commands in-process).
import type { Command } from 'commander'
import { realClock, type Clock } from '../base/clock.js'
import { loadKubeconfig } from '../client/kubeconfig.js'
import { RestClient } from '../client/rest-client.js'

/** The kubeconfig flags (`--kubeconfig`, `--context`, `-n`). */
export interface KubeFlags {
  kubeconfig?: string
  context?: string
  namespace?: string
}

/** Something a command writes text to. */
export interface TextSink {
  write(s: string): unknown
}

/** The outside world of a command: output streams, environment, clock, stdin. */
export interface CliIo {
  out: TextSink
  err: TextSink
  /** Environment variables (KUBECONFIG, HOME). */
  env: Record<string, string | undefined>
  clock: Clock
  /** For `-f -`. */
  stdin?: NodeJS.ReadableStream
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return { out: process.stdout, err: process.stderr, env: process.env, clock: realClock, stdin: process.stdin }
}

/** Adds `--kubeconfig`, `--context` and `-n/--namespace` to a command. */
export function addKubeFlags(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('-n, --namespace <ns>', 'the namespace (default: the context namespace, else "default")')
}

/** A client for the API server chosen by the flags and environment, as kubectl chooses it. */
export function connect(flags: KubeFlags, io: CliIo): RestClient {
  const config = loadKubeconfig({
    explicitPath: flags.kubeconfig,
    kubeconfigEnv: io.env.KUBECONFIG,
    homeDir: io.env.HOME,
    context: flags.context,
    namespace: flags.namespace,
  })
  return new RestClient(config, { userAgent: 'kplab/0.1.0 (kubectl-like)' })
}
