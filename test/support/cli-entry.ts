// Source entry of the CLI for tests (the published bin runs the compiled dist/ instead).
import { main } from '../../src/cli/main.js'

main(process.argv).catch((err: unknown) => {
  process.stderr.write(`kplab: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
