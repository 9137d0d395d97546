import { describe, expect, it } from '@jest/globals'
import { readInputs, type InputName } from '../../src/inputs/names.js'
import {
  ConfigError,
  Problems,
  secondsInput
} from '../../src/inputs/problems.js'

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

describe('secondsInput', () => {
  /** The raw inputs GitHub would pass with only these set ('' for the rest). */
  const raw = (inputs: Partial<Record<InputName, string>>) =>
    readInputs((name) => inputs[name as InputName] ?? '', {})

  it('gives the default, in ms, when the input is not set', () => {
    const problems = new Problems()
    expect(secondsInput(raw({}), problems, 'settle', 5, 0, 60)).toBe(5000)
    expect(problems.list).toEqual([])
  })

  it('gives the default, in ms, beside the problem, when the value is not a time', () => {
    const problems = new Problems()
    expect(
      secondsInput(raw({ settle: 'soon' }), problems, 'settle', 5, 0, 60)
    ).toBe(5000)
    expect(problems.list).toEqual([
      'settle "soon" is not a number of seconds from 0 to 60 (e.g. 30, 45s, 1m)'
    ])
  })

  it('gives the default, in ms, beside the problem, when the value is out of range', () => {
    const problems = new Problems()
    expect(
      secondsInput(raw({ settle: '61' }), problems, 'settle', 5, 0, 60)
    ).toBe(5000)
    expect(problems.list).toEqual([
      'settle "61" is not a number of seconds from 0 to 60 (e.g. 30, 45s, 1m)'
    ])
  })

  it('reads a value in range', () => {
    const problems = new Problems()
    expect(
      secondsInput(raw({ settle: '1.5' }), problems, 'settle', 5, 0, 60)
    ).toBe(1500)
    expect(problems.list).toEqual([])
  })
})
