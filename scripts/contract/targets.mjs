// The targets the contract suite runs against. Each answers requests written the same way (a spec:
// which API, the path's segments, the query's pairs), so that every check is written once:
// - `liveTarget`: real HTTP to Cloudflare's API, the gateway and GitHub, at configured URLs: the real
//   services (`realTargetFromEnv`), or the local stand-in (`standInTarget`, the default);
// - `replayTarget`: the answers a run recorded with --record (recording.mjs), served back in order.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { checkedBaseUrl, jsonOf, send } from './http.mjs'
import { RECORDING_FORMAT } from './recording.mjs'

/** The most Cloudflare API requests one run may make, seeding included (Cloudflare allows 1200 per 5 minutes per user). */
export const CLOUDFLARE_REQUEST_CAP = 50

/** A well-formed token that no account has, for auth.refused (40 characters, as Cloudflare's are). */
export const INVALID_TOKEN = 'contract-suite-invalid-token-00000000000'
/** The token the stand-in's rate limit is provoked with, so that the suite's own token is never locked out. */
export const PROBE_TOKEN = 'contract-suite-rate-limit-probe-00000000'

/** Thrown when the request cap is spent: the check that asked is `unknown`. */
export class CapReached extends Error {}
/** Thrown by a replay when a check asks what the recording does not hold. */
export class ReplayMismatch extends Error {}

/**
 * The common part of every target's client: counts, the cap, every 429 seen, the recording hook.
 * `transport(spec)` answers { status, headers, text }.
 */
function clientOf(target, phase, transport) {
  const ask = async (spec) => {
    if (spec.api === 'cloudflare') {
      if (target.counts.cloudflare >= target.requestCap)
        throw new CapReached(
          `the run's cap of ${target.requestCap} Cloudflare API requests is spent`
        )
      target.counts.cloudflare++
    } else target.counts.github++
    const raw = await transport(spec)
    const answer = { ...raw, json: jsonOf(raw.text) }
    if (answer.status === 429) target.seen429s.push({ phase, spec, answer })
    for (const hook of target.onExchange) hook(phase, spec, raw)
    return answer
  }
  return {
    cloudflare: (segments, query = [], auth) =>
      ask({
        api: 'cloudflare',
        method: 'GET',
        segments,
        query,
        ...(auth ? { auth } : {})
      }),
    /** POST /graphql (Cloudflare's GraphQL Analytics API) with a JSON body; it only reads. */
    graphql: (body) =>
      ask({
        api: 'cloudflare',
        method: 'POST',
        segments: ['graphql'],
        query: [],
        body
      }),
    github: (method, segments, query = [], body) =>
      ask({
        api: 'github',
        method,
        segments,
        query,
        ...(body === undefined ? {} : { body })
      })
  }
}

const pathOf = (segments) =>
  segments.map((s) => encodeURIComponent(String(s))).join('/')
const queryOf = (pairs) =>
  pairs.length === 0
    ? ''
    : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}`

/**
 * A target over real HTTP. `config`: kind ('real' or 'stand-in'), label (one line saying what it is),
 * apiUrl, gatewayUrl, token, gatewayToken (cf-aig-authorization, for an authenticated gateway),
 * accountId, gatewayId, github ({apiUrl, token, repository, workflow, branch} or null) with
 * githubMissing (why not), nonce, seedPollMs, seedTimeoutMs, rateLimit (the stand-in's control, or null).
 */
export function liveTarget(config) {
  const apiUrl = checkedBaseUrl(config.apiUrl, 'the Cloudflare API URL')
  const gatewayUrl = checkedBaseUrl(config.gatewayUrl, 'the gateway URL')
  const github = config.github
    ? {
        ...config.github,
        apiUrl: checkedBaseUrl(config.github.apiUrl, 'the GitHub API URL')
      }
    : null
  const target = {
    kind: config.kind,
    label: config.label,
    accountId: config.accountId,
    gatewayId: config.gatewayId,
    github: github && {
      repository: github.repository,
      workflow: github.workflow,
      branch: github.branch
    },
    githubMissing: config.githubMissing ?? '',
    nonce: config.nonce,
    seed: null,
    seedMissing:
      'the run was not seeded (--seed sends a few calls through the gateway first)',
    // Every 3 s for at most a minute: at most 21 list requests, so that the run stays under its cap.
    seedPollMs: config.seedPollMs ?? 3000,
    seedTimeoutMs: config.seedTimeoutMs ?? 60_000,
    rateLimit: config.rateLimit ?? null,
    requestCap: config.requestCap ?? CLOUDFLARE_REQUEST_CAP,
    counts: { cloudflare: 0, gateway: 0, github: 0 },
    seen429s: [],
    onExchange: [],
    /** What evidence must never show. */
    secrets: [config.token, config.gatewayToken, github?.token].filter(Boolean),
    client(phase) {
      return clientOf(target, phase, (spec) => {
        if (spec.api === 'cloudflare') {
          const token =
            spec.auth === 'bad'
              ? INVALID_TOKEN
              : spec.auth === 'probe'
                ? PROBE_TOKEN
                : config.token
          return send({
            url: `${apiUrl}/${pathOf(spec.segments)}${queryOf(spec.query)}`,
            method: spec.method,
            headers: { authorization: `Bearer ${token}` },
            body: spec.body
          })
        }
        if (!github) throw new Error(target.githubMissing)
        return send({
          url: `${github.apiUrl}/${pathOf(spec.segments)}${queryOf(spec.query)}`,
          method: spec.method,
          headers: {
            authorization: `Bearer ${github.token}`,
            accept: 'application/vnd.github+json',
            'x-github-api-version': '2022-11-28'
          },
          body: spec.body
        })
      })
    },
    /** A call to Workers AI through the gateway (seeding only): POST {gatewayUrl}/{account}/{gateway}/workers-ai/{model}. */
    async gatewayCall(model, body, metadata) {
      target.counts.gateway++
      const startedMs = Date.now()
      const answer = await send({
        url: `${gatewayUrl}/${encodeURIComponent(config.accountId)}/${encodeURIComponent(config.gatewayId)}/workers-ai/${model}`,
        method: 'POST',
        headers: {
          authorization: `Bearer ${config.token}`,
          'cf-aig-metadata': JSON.stringify(metadata),
          // Every seeded call reaches the model, so that its duration is a real one.
          'cf-aig-skip-cache': 'true',
          ...(config.gatewayToken
            ? { 'cf-aig-authorization': `Bearer ${config.gatewayToken}` }
            : {})
        },
        body: JSON.stringify(body)
      })
      return {
        ...answer,
        json: jsonOf(answer.text),
        startedMs,
        endedMs: Date.now()
      }
    },
    async close() {
      await config.close?.()
    }
  }
  return target
}

/** A target that serves a recording's answers (see recording.mjs), the requests compared with the recorded ones. */
export function replayTarget(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
  if (manifest.format !== RECORDING_FORMAT)
    throw new UsageError(
      `${dir} is a recording of format ${manifest.format}; this suite reads format ${RECORDING_FORMAT}: record it again`
    )
  const exchanges = {}
  for (const file of readdirSync(join(dir, 'exchanges')))
    if (file.endsWith('.json'))
      exchanges[file.slice(0, -'.json'.length)] = JSON.parse(
        readFileSync(join(dir, 'exchanges', file), 'utf8')
      )
  const target = {
    kind: 'replay',
    recordedFrom: manifest.target,
    label: `a replay of ${dir} (recorded ${manifest.recordedAt} from ${manifest.targetLabel})`,
    accountId: manifest.accountId,
    gatewayId: manifest.gatewayId,
    github: manifest.github,
    githubMissing: manifest.githubMissing ?? '',
    nonce: manifest.nonce,
    seed: manifest.seed,
    seedMissing: manifest.seedMissing ?? '',
    rateLimit: manifest.rateLimitProvoked ? { set() {}, reset() {} } : null,
    requestCap: Infinity,
    counts: { cloudflare: 0, gateway: 0, github: 0 },
    seen429s: [],
    onExchange: [],
    secrets: [],
    manifest,
    client(phase) {
      let next = 0
      return clientOf(target, phase, async (spec) => {
        const recorded = exchanges[phase]?.[next++]
        const asked = JSON.stringify(spec)
        if (!recorded)
          throw new ReplayMismatch(
            `the recording has no answer for request ${next} of ${phase}: ${asked}`
          )
        if (JSON.stringify(recorded.request) !== asked)
          throw new ReplayMismatch(
            `request ${next} of ${phase} differs from the recording (recorded ${JSON.stringify(recorded.request)}, asked ${asked}): record again`
          )
        const { body, ...answer } = recorded.answer
        return body === undefined
          ? answer
          : { ...answer, text: JSON.stringify(body) }
      })
    },
    async gatewayCall() {
      throw new Error('a replay sends no calls')
    },
    async close() {}
  }
  return target
}

/** The variables that make the target real; all three, or none. */
export const REAL_TARGET_VARIABLES = [
  'CLOUDFLARE_API_TOKEN',
  'CLOUDFLARE_ACCOUNT_ID',
  'CLOUDFLARE_GATEWAY_ID'
]

/** A usage error: the CLI says it and exits 2. */
export class UsageError extends Error {}

/** A name for this run, used in seeded metadata and in names nothing has (lowercase, digits and hyphens, as gateway ids are). */
export function newNonce(nowMs = Date.now()) {
  const stamp = new Date(nowMs).toISOString().replace(/[-:T]/g, '').slice(0, 14)
  return `contract-${stamp}-${Math.random().toString(36).slice(2, 6).padEnd(4, '0')}`
}

/**
 * The real services, from the environment: CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID and
 * CLOUDFLARE_GATEWAY_ID (all three, or none: then null); optionally CLOUDFLARE_GATEWAY_TOKEN (an
 * authenticated gateway), GITHUB_TOKEN with GITHUB_REPOSITORY (the GitHub checks), CONTRACT_GITHUB_WORKFLOW
 * (default ci.yml) and CONTRACT_GITHUB_BRANCH (default main); the URLs CLOUDFLARE_API_URL,
 * CLOUDFLARE_GATEWAY_URL and GITHUB_API_URL default to the real services'.
 */
export function realTargetFromEnv(env) {
  const value = (name) => env[name]?.trim() ?? ''
  const set = REAL_TARGET_VARIABLES.filter((name) => value(name))
  if (set.length === 0) return null
  if (set.length < REAL_TARGET_VARIABLES.length)
    throw new UsageError(
      `${REAL_TARGET_VARIABLES.filter((n) => !value(n)).join(' and ')} not set: the real target needs ${REAL_TARGET_VARIABLES.join(', ')} (or none of them, for the stand-in)`
    )
  const github =
    value('GITHUB_TOKEN') && value('GITHUB_REPOSITORY')
      ? {
          apiUrl: value('GITHUB_API_URL') || 'https://api.github.com',
          token: value('GITHUB_TOKEN'),
          repository: value('GITHUB_REPOSITORY'),
          workflow: value('CONTRACT_GITHUB_WORKFLOW') || 'ci.yml',
          branch: value('CONTRACT_GITHUB_BRANCH') || 'main'
        }
      : null
  if (github && !/^[^/\s]+\/[^/\s]+$/.test(github.repository))
    throw new UsageError(
      `GITHUB_REPOSITORY is not owner/name: ${github.repository}`
    )
  const apiUrl =
    value('CLOUDFLARE_API_URL') || 'https://api.cloudflare.com/client/v4'
  try {
    return liveTarget({
      kind: 'real',
      label: `the real services: Cloudflare's API at ${apiUrl}, gateway ${value('CLOUDFLARE_GATEWAY_ID')}; ${github ? `GitHub at ${github.apiUrl}, ${github.repository}` : 'GitHub not checked (no GITHUB_TOKEN and GITHUB_REPOSITORY)'}`,
      apiUrl,
      gatewayUrl:
        value('CLOUDFLARE_GATEWAY_URL') ||
        'https://gateway.ai.cloudflare.com/v1',
      token: value('CLOUDFLARE_API_TOKEN'),
      gatewayToken: value('CLOUDFLARE_GATEWAY_TOKEN') || undefined,
      accountId: value('CLOUDFLARE_ACCOUNT_ID'),
      gatewayId: value('CLOUDFLARE_GATEWAY_ID'),
      github,
      githubMissing: 'GITHUB_TOKEN and GITHUB_REPOSITORY are not both set',
      nonce: newNonce()
    })
  } catch (error) {
    throw new UsageError(error.message)
  }
}

/**
 * The local stand-in (scripts/stand-in.mjs), started here unless `standIn` is given, with GitHub data
 * for the GitHub checks: runs of ci.yml in octo-org/octo-repo and a comment by GITHUB_TOKEN's account.
 * `apiUrl` sends the Cloudflare API requests elsewhere (a test's proxy in front of the stand-in). It
 * is seeded by the caller (seedTarget), through the stand-in's gateway, as a real account would be.
 */
export async function standInTarget({
  standIn,
  apiUrl,
  nonce = newNonce()
} = {}) {
  const { GITHUB_ACCOUNTS, DEMO_ACCOUNT, startStandIn } =
    await import('../stand-in.mjs')
  const own = !standIn
  const server = standIn ?? (await startStandIn())
  const repository = 'octo-org/octo-repo'
  const hourMs = 3_600_000
  const at = (hoursAgo) =>
    new Date(Date.now() - hoursAgo * hourMs).toISOString()
  const run = (id, branch, conclusion, hoursAgo) =>
    server.addWorkflowRun({
      repo: repository,
      workflow: 'ci.yml',
      id,
      branch,
      conclusion,
      createdAt: at(hoursAgo)
    })
  // Calls for the GraphQL Analytics checks: the two hours before now (the checks read the last hour).
  server.addAnalyticsGateway('contract-gateway', {
    calls: 720,
    sinceMs: Date.now() - 2 * hourMs,
    untilMs: Date.now()
  })
  run(9001, 'main', 'success', 30)
  run(9002, 'feature', 'success', 20)
  run(9003, 'main', 'failure', 10)
  run(9004, 'main', 'success', 5)
  server.addComment(
    7,
    'A comment by a person',
    GITHUB_ACCOUNTS.personal,
    repository
  )
  server.addComment(
    7,
    'A comment by GITHUB_TOKEN',
    GITHUB_ACCOUNTS.actions,
    repository
  )
  return liveTarget({
    kind: 'stand-in',
    label: `the local stand-in (scripts/stand-in.mjs) at ${server.origin}${apiUrl ? `, its Cloudflare API reached through ${apiUrl}` : ''}`,
    apiUrl: apiUrl ?? server.apiUrl,
    gatewayUrl: server.gatewayUrl,
    token: server.token,
    accountId: DEMO_ACCOUNT,
    gatewayId: 'contract-gateway',
    github: {
      apiUrl: server.githubApiUrl,
      token: GITHUB_ACCOUNTS.actions.token,
      repository,
      workflow: 'ci.yml',
      branch: 'main'
    },
    nonce,
    seedPollMs: 100,
    seedTimeoutMs: 10_000,
    // The stand-in's limit lowered to 2 requests a minute for rate-limit.429, then lifted.
    rateLimit: {
      set: () =>
        server.setRateLimit({ limit: 2, windowMs: 60_000, retryAfterS: 300 }),
      reset: () => server.setRateLimit(null)
    },
    close: own ? () => server.close() : undefined
  })
}
