// The action's entry point: nothing but run(). Backstops make sure that an error thrown outside run's
// own catch, or a promise rejected and never awaited, still fails the step with one readable line.
import * as core from '@actions/core'
import { errorMessage, run } from './main.js'

process.on('unhandledRejection', (reason) => core.setFailed(`Unexpected error: ${errorMessage(reason)}`))
run().catch((error: unknown) => core.setFailed(`Unexpected error: ${errorMessage(error)}`))
