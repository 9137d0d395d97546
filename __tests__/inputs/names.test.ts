import { describe, expect, it } from '@jest/globals'
import { INPUT, readInputs, SECRET_INPUTS } from '../../src/inputs/names.js'

/** A reader over a plain object, as the runner passes inputs: strings, '' when unset. */
const reader =
  (inputs: Record<string, string>) =>
  (name: string): string =>
    inputs[name] ?? ''

describe('readInputs', () => {
  it('reads every input by its name, once, trimmed', () => {
    const asked: string[] = []
    const raw = readInputs((name) => {
      asked.push(name)
      return name === 'gateway-id' ? '  gw \n' : ''
    }, {})
    expect(asked.sort()).toEqual(Object.values(INPUT).sort())
    expect(raw['gateway-id']).toBe('gw')
    expect(raw['log-id']).toBe('')
  })

  it('falls back to CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID, trimmed like an input', () => {
    const raw = readInputs(reader({}), {
      CLOUDFLARE_API_TOKEN: ' env-token\n',
      CLOUDFLARE_ACCOUNT_ID: '\tenv-account '
    })
    expect(raw['api-token']).toBe('env-token')
    expect(raw['account-id']).toBe('env-account')
  })

  it('prefers the inputs over the environment', () => {
    const raw = readInputs(
      reader({ 'api-token': 'input-token', 'account-id': 'input-account' }),
      {
        CLOUDFLARE_API_TOKEN: 'env-token',
        CLOUDFLARE_ACCOUNT_ID: 'env-account'
      }
    )
    expect(raw['api-token']).toBe('input-token')
    expect(raw['account-id']).toBe('input-account')
  })

  it('treats an input of blanks as unset, so the environment fills it', () => {
    const raw = readInputs(reader({ 'api-token': '   ' }), {
      CLOUDFLARE_API_TOKEN: 'env-token'
    })
    expect(raw['api-token']).toBe('env-token')
  })

  it('leaves both empty when neither is set', () => {
    const raw = readInputs(reader({}), {})
    expect(raw['api-token']).toBe('')
    expect(raw['account-id']).toBe('')
  })
})

describe('SECRET_INPUTS', () => {
  it('are the credentials: token, legacy key and the GitHub token', () => {
    expect([...SECRET_INPUTS].sort()).toEqual([
      'api-key',
      'api-token',
      'github-token'
    ])
  })
})
