// --record DIR: every exchange of a run (but the seeding's), scrubbed, written as fixtures that the unit
// tests replay (targets.mjs, replayTarget). Scrubbed: tokens and the account id wherever they appear;
// the gateway, the repository, log ids, GitHub logins and ids, comment and run ids replaced by
// placeholders, the same one for the same value everywhere, so that a replay stays consistent (a check
// that names a log by the id an answer gave asks for the placeholder, and the recording holds that
// request); the metadata of logs the run did not seed mapped key by key and value by value; request
// and response heads and the paths of such logs replaced. GitHub's answers are cut down to the fields
// the checks read (no comment bodies, no URLs).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { jsonOf } from './http.mjs'

/** The format of a recording; a replay refuses another. */
export const RECORDING_FORMAT = 1
/** GitHub Actions' bot, public and the same for everyone: kept as it is. */
const PUBLIC_ACCOUNTS = new Map([['github-actions[bot]', 41898282]])

/** Collects a target's exchanges; `write` scrubs and writes them with the run's results. */
export function createRecorder(target) {
  const exchanges = {}
  target.onExchange.push((phase, request, answer) => {
    if (phase === 'seed') return
    ;(exchanges[phase] ??= []).push({
      request: structuredClone(request),
      answer: structuredClone(answer)
    })
  })
  return {
    exchanges,
    write(dir, { results, secrets, note }) {
      const scrub = makeScrubber(target, exchanges, secrets)
      rmSync(join(dir, 'exchanges'), { recursive: true, force: true })
      mkdirSync(join(dir, 'exchanges'), { recursive: true })
      for (const [phase, list] of Object.entries(exchanges))
        writeFileSync(
          join(dir, 'exchanges', `${phase}.json`),
          `${JSON.stringify(list.map(scrub.exchange), null, 2)}\n`
        )
      const manifest = {
        format: RECORDING_FORMAT,
        target: target.kind,
        targetLabel:
          target.kind === 'real'
            ? "Cloudflare's and GitHub's real APIs"
            : 'the local stand-in (scripts/stand-in.mjs)',
        note,
        recordedAt: new Date().toISOString(),
        accountId: 'ACCOUNT_ID',
        gatewayId: 'GATEWAY_ID',
        github: target.github && {
          ...target.github,
          repository: 'OWNER/REPO'
        },
        githubMissing: target.githubMissing,
        nonce: target.nonce,
        seed: target.seed && {
          ...target.seed,
          calls: target.seed.calls.map((c) => ({ ...c, id: scrub.exact(c.id) }))
        },
        seedMissing: target.seedMissing,
        rateLimitProvoked: Boolean(target.rateLimit),
        requests: target.counts,
        results: results.map((r) => ({
          ...r,
          evidence: scrub.text(r.evidence)
        }))
      }
      writeFileSync(
        join(dir, 'manifest.json'),
        `${JSON.stringify(manifest, null, 2)}\n`
      )
    }
  }
}

const isLog = (v) =>
  v &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  'id' in v &&
  'created_at' in v

/** The scrubber of one recording: maps built from every exchange first, then applied to each. */
function makeScrubber(target, exchanges, secrets) {
  const exactMap = new Map()
  const numbers = new Map()
  const metaKeys = new Map()
  const metaValues = new Map()
  const seeded = new Set((target.seed?.calls ?? []).map((c) => c.id))
  const counters = { log: 0, login: 0, user: 0, comment: 0, run: 0 }
  const name = (map, original, make) => {
    if (!map.has(original)) map.set(original, make())
    return map.get(original)
  }
  const logId = (id) =>
    name(exactMap, id, () => `log-${String(++counters.log).padStart(2, '0')}`)
  const login = (l) =>
    PUBLIC_ACCOUNTS.has(l)
      ? l
      : name(exactMap, l, () => `login-${++counters.login}`)
  const userId = (n, l) =>
    PUBLIC_ACCOUNTS.get(l) === n
      ? n
      : name(numbers, `user:${n}`, () => 1_000_000 + ++counters.user)

  exactMap.set(target.gatewayId, 'GATEWAY_ID')
  if (target.github) {
    const [owner, repo] = target.github.repository.split('/')
    exactMap.set(owner, 'OWNER')
    exactMap.set(repo, 'REPO')
  }
  const substrings = [
    ...secrets.filter((s) => s && s.length >= 4).map((s) => [s, '[token]']),
    [target.accountId, 'ACCOUNT_ID']
  ]
  // First pass: the ids every answer holds, in the order met, so that placeholders are stable.
  for (const c of target.seed?.calls ?? []) logId(c.id)
  for (const list of Object.values(exchanges))
    for (const { request, answer } of list) {
      const json = jsonOf(answer.text)
      if (request.api === 'cloudflare') {
        const result = json?.result
        for (const log of Array.isArray(result) ? result : [result])
          if (isLog(log)) logId(log.id)
      } else {
        const viewer = json?.data?.viewer
        if (viewer?.login) login(viewer.login)
        for (const c of Array.isArray(json) ? json : [])
          if (c?.user?.login) login(c.user.login)
        if (typeof json?.login === 'string') login(json.login)
      }
    }

  const secretsOut = (text) => {
    let out = String(text)
    for (const [original, placeholder] of substrings) {
      if (!original) continue
      for (const form of new Set([original, encodeURIComponent(original)]))
        out = out.split(form).join(placeholder)
    }
    return out
  }
  const exact = (v) =>
    typeof v === 'string' && exactMap.has(v) ? exactMap.get(v) : v
  const metaKey = (k) => name(metaKeys, k, () => `key-${metaKeys.size + 1}`)
  const metaValue = (v) =>
    name(metaValues, String(v), () => `value-${metaValues.size + 1}`)

  /** A log's fields kept but for what a stranger's call may hold: heads, its path, its metadata. */
  function scrubLog(log) {
    const own = seeded.has(log.id)
    const out = {}
    for (const [k, v] of Object.entries(log)) {
      if (k === 'id') out[k] = logId(v)
      else if (k === 'request_head' || k === 'response_head')
        out[k] = typeof v === 'string' ? '[scrubbed]' : v
      else if (k === 'path' && !own)
        out[k] = typeof v === 'string' ? '[scrubbed]' : v
      else if (k === 'metadata' && !own && v !== null && v !== undefined) {
        // Documented as a JSON string; an object (which the action also reads) is mapped the same way.
        const map = typeof v === 'string' ? jsonOf(v) : v
        const mapped =
          map && typeof map === 'object' && !Array.isArray(map)
            ? Object.fromEntries(
                Object.entries(map).map(([mk, mv]) => [
                  metaKey(mk),
                  metaValue(mv)
                ])
              )
            : undefined
        out[k] =
          mapped === undefined
            ? '[scrubbed]'
            : typeof v === 'string'
              ? JSON.stringify(mapped)
              : mapped
      } else out[k] = walk(v)
    }
    return out
  }
  const walk = (v) =>
    isLog(v)
      ? scrubLog(v)
      : Array.isArray(v)
        ? v.map(walk)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
          : typeof v === 'string'
            ? secretsOut(exact(v))
            : v

  /** GitHub's answers, cut down to what the checks read. */
  function githubAnswer(request, json, status) {
    if (status < 200 || status >= 300)
      return json && typeof json === 'object'
        ? { message: json.message, status: json.status }
        : null
    const [first, , , , fifth] = request.segments
    if (first === 'graphql') {
      const viewer = json?.data?.viewer
      return viewer
        ? {
            data: {
              viewer: {
                databaseId: userId(viewer.databaseId, viewer.login),
                login: login(viewer.login)
              }
            }
          }
        : { errors: (json?.errors ?? []).map((e) => ({ message: e?.message })) }
    }
    if (first === 'users')
      return {
        login: login(json?.login),
        id: userId(json?.id, json?.login),
        type: json?.type
      }
    if (fifth === 'comments' && Array.isArray(json))
      return json.map((c) => ({
        id: name(
          numbers,
          `comment:${c?.id}`,
          () => 2_000_000 + ++counters.comment
        ),
        user: {
          login: login(c?.user?.login),
          id: userId(c?.user?.id, c?.user?.login),
          type: c?.user?.type
        }
      }))
    if (Array.isArray(json?.workflow_runs))
      return {
        total_count: json.total_count,
        workflow_runs: json.workflow_runs.map((r) => ({
          id: name(numbers, `run:${r?.id}`, () => 3_000_000 + ++counters.run),
          head_branch: r?.head_branch,
          status: r?.status,
          conclusion: r?.conclusion,
          event: r?.event,
          created_at: r?.created_at
        }))
      }
    return null
  }

  function request(spec) {
    const out = {
      ...spec,
      segments: spec.segments.map((s) => secretsOut(exact(String(s))))
    }
    out.query = spec.query.map(([k, v]) => {
      if (k !== 'filters')
        return [k, typeof v === 'string' ? secretsOut(exact(v)) : v]
      const list = jsonOf(v)
      if (!Array.isArray(list)) return [k, secretsOut(v)]
      return [
        k,
        JSON.stringify(
          list.map((f) => ({
            ...f,
            value: Array.isArray(f?.value)
              ? f.value.map((x) =>
                  f.key === 'metadata.key' && !String(x).startsWith('contract_')
                    ? metaKey(x)
                    : f.key === 'metadata.value' &&
                        !String(x).startsWith(target.nonce)
                      ? metaValue(x)
                      : exact(x)
                )
              : f?.value
          }))
        )
      ]
    })
    if (spec.body !== undefined) out.body = secretsOut(spec.body)
    return out
  }

  /** A JSON answer is kept as `body` (readable in a diff), any other as `text`. */
  function answer(spec, raw) {
    const json = jsonOf(raw.text)
    const head = { status: raw.status, headers: raw.headers }
    if (spec.api === 'github')
      return { ...head, body: githubAnswer(spec, json, raw.status) }
    return json === undefined
      ? { ...head, text: secretsOut(raw.text) }
      : { ...head, body: walk(json) }
  }

  return {
    exact: (v) => exact(v),
    // Requests first: the metadata a check named in a filter is mapped as the rows' metadata is.
    exchange: ({ request: spec, answer: raw }) => ({
      request: request(spec),
      answer: answer(spec, raw)
    }),
    /** Evidence: every original the maps hold, longest first, replaced by its placeholder. */
    text(evidence) {
      let out = secretsOut(evidence)
      const pairs = [
        ...exactMap,
        ...[...metaKeys].filter(([k]) => k.length >= 3),
        ...[...metaValues].filter(([k]) => k.length >= 3)
      ]
        .filter(
          ([original]) => typeof original === 'string' && original.length >= 2
        )
        .sort((a, b) => b[0].length - a[0].length)
      for (const [original, placeholder] of pairs)
        out = out.split(original).join(placeholder)
      // Numbers only when they are long enough not to be a count or a duration.
      for (const [key, placeholder] of numbers)
        if (key.split(':')[1].length >= 5)
          out = out.replace(
            new RegExp(`\\b${key.split(':')[1]}\\b`, 'g'),
            String(placeholder)
          )
      return out
    }
  }
}
