// The action's entry point: nothing but run(). Backstops make sure that an error thrown outside run's
// own catch, or a promise rejected and never awaited, still fails the step with one readable line.
import * as core from '@actions/core'
import { actionSecrets, errorMessage, run, scrubber } from './main.js'

// Scrubbed before errorMessage cuts it: the runner masks only a whole secret.
const unexpected = (error: unknown): void =>
  core.setFailed(`Unexpected error: ${errorMessage(error, scrubber(actionSecrets(process.env)))}`)

process.on('unhandledRejection', unexpected)
run().catch(unexpected)
