// The action's entry point: nothing but run(), and backstops. An error thrown outside run's own catch,
// or a promise rejected and never awaited, still fails the step with one readable line; and if the
// process runs out of work before run() finished (a request that neither answered nor failed), the
// step fails instead of ending green with no outputs.
import * as core from '@actions/core'
import { readInputs } from './inputs/names.js'
import { actionSecrets, errorMessage, run, scrubber } from './main.js'
import { OUTPUT } from './report/outputs.js'

let finished = false

// Scrubbed before errorMessage cuts it: the runner masks only a whole secret.
const unexpected = (error: unknown): void => {
  finished = true
  core.setFailed(
    `Unexpected error: ${errorMessage(error, scrubber(actionSecrets(readInputs(core.getInput, process.env))))}`
  )
}

process.on('unhandledRejection', unexpected)
process.on('beforeExit', () => {
  if (finished) return
  finished = true
  core.setOutput(OUTPUT.result, 'error')
  core.setOutput(OUTPUT.passed, 'false')
  core.setFailed(
    'The action was about to exit before it finished: a request was left with neither an answer nor an error, so the gate did not pass.'
  )
})
run().then(() => (finished = true), unexpected)
