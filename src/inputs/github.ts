// GitHub's URLs as the runner gives them (GITHUB_API_URL, GITHUB_SERVER_URL), for the comment and the
// baseline lookup: https only (http to loopback for a local stand-in), no credentials, query or fragment.
import { isLoopbackHost, withoutTrailingSlashes } from './connection.js'

/** What the runner sets GITHUB_API_URL and GITHUB_SERVER_URL to on github.com (and what @actions/github falls back to). */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com'

export const DEFAULT_GITHUB_SERVER_URL = 'https://github.com'

/**
 * A URL of GitHub's from the runner's environment (GITHUB_API_URL, GITHUB_SERVER_URL): https, or http
 * to a loopback host (a local stand-in), since github-token goes there; no credentials, query or
 * fragment; no trailing slash. Undefined when it is not one.
 */
export function githubUrl(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  if (
    url.protocol !== 'https:' &&
    !(url.protocol === 'http:' && isLoopbackHost(url.hostname))
  )
    return undefined
  if (url.username || url.password || /[?#]/.test(value)) return undefined
  return withoutTrailingSlashes(url.href)
}
