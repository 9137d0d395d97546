import { describe, expect, it } from '@jest/globals'
import { isLoopbackHost, withoutSecrets } from '../../src/inputs/connection.js'

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
