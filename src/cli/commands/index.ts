import type { Command } from 'commander'

/** Adds every kplab command to the program; each command module exports one `register…` function. */
export function registerCommands(program: Command): void {
  // One line per command module, in help order.
  void program
}
