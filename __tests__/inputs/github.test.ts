import { describe, expect, it } from '@jest/globals'
import { githubUrl } from '../../src/inputs/github.js'

describe('githubUrl', () => {
  it.each([
    ['https://ghes.example.com/api/v3/', 'https://ghes.example.com/api/v3'],
    ['http://127.0.0.1:8080/api/', 'http://127.0.0.1:8080/api'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://[::1]/', 'http://[::1]']
  ])('takes %p as %p', (value, url) => {
    expect(githubUrl(value)).toBe(url)
  })

  it.each([
    [
      'http to another host (the token would travel in clear)',
      'http://ghes.example.com/api/v3'
    ],
    ['another scheme, even to a loopback host', 'ftp://localhost/api'],
    ['a user name', 'https://x-access-token@ghes.example.com/api/v3'],
    ['a password', 'https://:secret@ghes.example.com/api/v3'],
    ['a user and a password', 'https://user:secret@ghes.example.com/api/v3'],
    ['a query', 'https://ghes.example.com/api/v3?token=x'],
    ['a bare fragment', 'https://ghes.example.com/api/v3#'],
    ['not a URL', 'ghes.example.com/api/v3']
  ])('refuses %s', (_what, value) => {
    expect(githubUrl(value)).toBeUndefined()
  })
})
