import { describe, expect, it } from '@jest/globals'
import {
  isLoopbackHost,
  parseConnection,
  withoutSecrets
} from '../../src/inputs/connection.js'
import { readInputs, type InputName } from '../../src/inputs/names.js'
import { Problems } from '../../src/inputs/problems.js'

describe('isLoopbackHost', () => {
  it.each([
    'localhost',
    '[::1]',
    '127.0.0.1',
    '127.10.200.3',
    '127.255.255.255'
  ])('%p is loopback', (hostname) => {
    expect(isLoopbackHost(hostname)).toBe(true)
  })

  it.each([
    '10.127.0.0.1',
    '127.0.0.1.evil.example',
    '127.1000.0.1',
    '127.0.1000.1',
    '127.0.0.1000',
    '127.0.1',
    'localhost.evil.example',
    '[::2]'
  ])('%p is not loopback', (hostname) => {
    expect(isLoopbackHost(hostname)).toBe(false)
  })
})

describe('withoutSecrets', () => {
  it.each([
    ['https://user:pw-SECRET@host/v4', 'https://…@host/v4'],
    ['https://user:p@ss-SECRET@host/v4', 'https://…@host/v4'],
    // Not URLs, so quoted back as they are: the password goes wherever the scheme stands.
    ['"https://user:pw-SECRET@host/v4"', '"https://…@host/v4"'],
    ['<https://user:pw-SECRET@host>', '<https://…@host>'],
    ['https:user:pw-SECRET@ho st/', '…@ho st/'],
    [
      'me@example.com https://user:pw-SECRET@host',
      '…@example.com https://…@host'
    ],
    ['https://exa mple.com/?key=a SECRET', 'https://exa mple.com/?…'],
    ['https://exa mple.com/#a\nSECRET', 'https://exa mple.com/#…'],
    ['https://host/v4?', 'https://host/v4?'],
    ['https://host/v4', 'https://host/v4']
  ])('%p is quoted as %p', (url, shown) => {
    expect(withoutSecrets(url)).toBe(shown)
  })
})

describe('parseConnection: request-budget', () => {
  /** The inputs that parse, with request-budget as given ('' for the rest). */
  const connection = (requestBudget: string) => {
    const inputs: Partial<Record<InputName, string>> = {
      'api-token': 'cf-token',
      'account-id': 'acc-123',
      'gateway-id': 'my-gateway',
      'request-budget': requestBudget
    }
    const problems = new Problems()
    const parsed = parseConnection(
      readInputs((name) => inputs[name as InputName] ?? '', {}),
      problems,
      {}
    )
    return {
      requestBudget: parsed.requestBudget,
      budgetValid: parsed.budgetValid,
      problems: problems.list
    }
  }

  it.each([
    ['', 300],
    ['1', 1],
    ['1200', 1200]
  ])('takes request-budget %p as %p requests', (value, requestBudget) => {
    expect(connection(value)).toEqual({
      requestBudget,
      budgetValid: true,
      problems: []
    })
  })

  it.each(['0', '1201', '2.5', 'many'])(
    'refuses request-budget %p, keeping the default of 300',
    (value) => {
      expect(connection(value)).toEqual({
        requestBudget: 300,
        budgetValid: false,
        problems: [
          `request-budget ${JSON.stringify(value)} is not a whole number from 1 to 1200`
        ]
      })
    }
  )
})
