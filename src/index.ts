// The action's entry point: nothing but run(). Backstops make sure that an error thrown outside run's
// own catch, a promise rejected and never awaited, or a run left waiting forever still fails the step
// with one readable line.
import * as core from './runner.js'
import { errorMessage, failUnfinishedRun, run } from './main.js'

let finished = false
process.on('unhandledRejection', (reason) => core.setFailed(`Unexpected error: ${errorMessage(reason)}`))
// Node exits when nothing is left to wait for, even with run() still pending (a request whose promise can
// never settle): 'beforeExit' catches that, 'exit' catches an exit from anywhere else. Both are synchronous.
const backstop = (): void => {
  if (finished) return
  finished = true
  failUnfinishedRun()
}
process.on('beforeExit', backstop)
process.on('exit', backstop)
run()
  .catch((error: unknown) => core.setFailed(`Unexpected error: ${errorMessage(error)}`))
  .finally(() => {
    finished = true
  })
