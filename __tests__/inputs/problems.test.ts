import { describe, expect, it } from '@jest/globals'
import { ConfigError } from '../../src/inputs/problems.js'

describe('ConfigError', () => {
  it('is named ConfigError and says input for one problem', () => {
    const error = new ConfigError(['max-cost "x" is not an amount'])
    expect(error.name).toBe('ConfigError')
    expect(error.message).toBe('Invalid input: max-cost "x" is not an amount')
  })

  it('says inputs and separates the problems with "; " for more than one', () => {
    expect(new ConfigError(['first problem', 'second problem']).message).toBe(
      'Invalid inputs: first problem; second problem'
    )
  })
})
