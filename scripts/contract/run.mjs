// Runs every check of the contract against one target, in the table's order, and words the results.
import { ASSUMPTIONS } from './assumptions.mjs'
import { CHECKS, prepare } from './checks.mjs'

/** Every form in which an answer can echo a secret, each replaced by `***`. */
export function scrubSecrets(text, secrets) {
  let out = String(text)
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue
    const forms = new Set([
      secret,
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
      JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/')
    ])
    for (const form of forms) out = out.split(form).join('***')
  }
  return out
}

/** Runs the checks; `write` gets each result's line as it comes. Returns the results and their tally. */
export async function runContract(target, { write = () => {} } = {}) {
  const ctx = { target, client: target.client('prepare') }
  await prepare(ctx)
  const results = []
  for (const assumption of ASSUMPTIONS) {
    ctx.client = target.client(assumption.id)
    let result
    try {
      result = await CHECKS[assumption.id](ctx)
    } catch (error) {
      result = {
        verdict: 'unknown',
        evidence: `the check could not finish: ${error?.message ?? String(error)}`
      }
    }
    const scrubbed = {
      id: assumption.id,
      verdict: result.verdict,
      evidence: scrubSecrets(result.evidence ?? '', target.secrets)
    }
    results.push(scrubbed)
    write(formatResult(scrubbed))
  }
  return { results, tally: tally(results) }
}

export function tally(results) {
  const count = (verdict) => results.filter((r) => r.verdict === verdict).length
  return {
    holds: count('holds'),
    refuted: count('refuted'),
    unknown: count('unknown')
  }
}

/** `holds    list.per-page-50  HTTP 200, …`: the verdict, the id, the evidence or the reason. */
export function formatResult(result) {
  return `${result.verdict.padEnd(8)} ${result.id.padEnd(32)} ${result.evidence}`
}

/** The closing line: `N hold, N refuted, N unknown`. */
export function summaryLine({ holds, refuted, unknown }) {
  return `${holds} hold, ${refuted} refuted, ${unknown} unknown`
}

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')

/** The results as markdown, for a job summary. */
export function markdownReport({ label, results, requests }) {
  const lines = [
    '## Contract suite',
    '',
    `Target: ${cell(label)}`,
    '',
    `**${summaryLine(tally(results))}**`,
    '',
    '| assumption | verdict | evidence or reason |',
    '| --- | --- | --- |',
    ...results.map(
      (r) =>
        `| \`${r.id}\` | ${r.verdict === 'refuted' ? '**refuted**' : r.verdict} | ${cell(r.evidence)} |`
    ),
    '',
    requests,
    ''
  ]
  return lines.join('\n')
}
