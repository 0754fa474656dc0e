#!/usr/bin/env node
// Runs the compiled CLI (npm ci builds it through `prepare`).
import { main } from '../dist/cli/main.js'
main(process.argv).catch((err) => {
  process.stderr.write(`kplab: ${err?.message ?? err}\n`)
  process.exit(1)
})
