// ServicePortName: the identity of one port of one Service, shared by both proxy modes. The type
// and its String() live with the iptables generator (its pure input); this module is the daemon's
// entry point to them, plus the inverse parse the CLI and stats need.
import { servicePortNameString, type ServicePortName } from './iptables/service-port.js'

export { servicePortNameString, type ServicePortName }

/** Parses `ns/name` or `ns/name:port` back into a ServicePortName; undefined when malformed. */
export function parseServicePortName(text: string): ServicePortName | undefined {
  const slash = text.indexOf('/')
  if (slash <= 0) return undefined
  const namespace = text.slice(0, slash)
  const rest = text.slice(slash + 1)
  const colon = rest.indexOf(':')
  const name = colon < 0 ? rest : rest.slice(0, colon)
  const port = colon < 0 ? '' : rest.slice(colon + 1)
  if (name === '' || (colon >= 0 && port === '')) return undefined
  return { namespace, name, port }
}

/** `namespace/name` of the Service a ServicePortName belongs to. */
export function serviceKeyOf(spn: ServicePortName): string {
  return `${spn.namespace}/${spn.name}`
}
