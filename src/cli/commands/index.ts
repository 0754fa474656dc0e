import type { Command } from 'commander'
import { registerDemo } from './demo.js'
import { registerApiserver } from './apiserver.js'
import { registerApply } from './apply.js'
import { registerControllerManager } from './controller-manager.js'
import { registerDelete } from './delete.js'
import { registerDescribe } from './describe.js'
import { registerGet } from './get.js'
import { registerKubelet } from './kubelet.js'
import { registerLab } from './lab.js'
import { registerForward } from './forward.js'
import { registerLabUnits } from './lab-units.js'
import { registerProxy } from './proxy.js'
import { registerRules } from './rules.js'
import { registerScheduler } from './scheduler.js'
import { registerSimulate } from './simulate.js'
import { registerTrace } from './trace.js'
import { registerCurl } from './curl.js'
import { registerExperiment } from './experiment.js'
import { registerLoadgen } from './loadgen.js'

/** Adds every kplab command to the program; each command module exports one `register…` function. */
export function registerCommands(program: Command): void {
  // One line per command module, in help order.
  registerDemo(program)
  registerApiserver(program)
  registerScheduler(program)
  registerControllerManager(program)
  registerGet(program)
  registerDescribe(program)
  registerApply(program)
  registerDelete(program)
  registerProxy(program)
  registerRules(program)
  registerTrace(program)
  registerSimulate(program)
  registerExperiment(program)
  registerCurl(program)
  registerLoadgen(program)
  registerKubelet(program)
  registerLab(program)
  registerForward(program)
  registerLabUnits(program)
  void program
}
