// --seed: a few cheap calls through the gateway, with known cf-aig-metadata, so that the checks of
// metadata filters, ordering, durations and created_at have rows they can name. The calls go to
// Workers AI through the gateway's `workers-ai` provider
// (POST https://gateway.ai.cloudflare.com/v1/{account}/{gateway}/workers-ai/{model}), one after
// another, each asked for at most a few tokens, the cache skipped so that each reaches the model.
import { brief } from './checks.mjs'

/** What --seed sends. Prices: Workers AI's pricing page (llama-3.2-1b-instruct: 2457 neurons per M input tokens, 18252 per M output; $0.011 per 1,000 neurons past 10,000 free a day). */
export const SEED_PLAN = {
  model: '@cf/meta/llama-3.2-1b-instruct',
  calls: 4,
  maxTokens: 4,
  prompt: 'Reply with the single word OK.',
  /** A generous bound of the input tokens of one call (the prompt with the model's chat template). */
  inputTokensBound: 128,
  neuronsPerInputToken: 2457 / 1e6,
  neuronsPerOutputToken: 18252 / 1e6,
  usdPerNeuron: 0.011 / 1000,
  freeNeuronsPerDay: 10_000
}

/** What --seed costs, said before it starts. */
export function seedCostText(plan = SEED_PLAN) {
  const neurons =
    plan.calls *
    (plan.inputTokensBound * plan.neuronsPerInputToken +
      plan.maxTokens * plan.neuronsPerOutputToken)
  return [
    `--seed sends ${plan.calls} calls to Workers AI (${plan.model}) through the gateway, one after another,`,
    `each at most ${plan.inputTokensBound} input and ${plan.maxTokens} output tokens: at most ${neurons.toFixed(1)} neurons in all,`,
    `$${(neurons * plan.usdPerNeuron).toFixed(6)} at $0.011 per 1,000 neurons, and within Workers AI's free ${plan.freeNeuronsPerDay.toLocaleString('en')} neurons a day.`,
    `The ${plan.calls} logs stay in the gateway (they count towards its log limit until deleted); the token needs Workers AI permission too.`
  ].join('\n')
}

/** The metadata of seeded call `seq` (1-based): the run's nonce, the call's number, and on the second a note for list.metadata-independent. */
export function seedMetadata(nonce, seq) {
  return {
    contract_run: nonce,
    contract_seq: String(seq),
    ...(seq === 2 ? { contract_note: `${nonce}-note` } : {})
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Sends the seed's calls through the target's gateway, then waits until all their logs are among the
 * newest 50 rows of the list (the plainest question the API answers: no filter, default order).
 * Sets target.seed ({nonce, model, calls: [{seq, id, metadata, startedMs, endedMs}], visible}), or
 * target.seedMissing saying why the checks will have no seeded rows.
 */
export async function seedTarget(target, plan = SEED_PLAN) {
  const calls = []
  for (let seq = 1; seq <= plan.calls; seq++) {
    const metadata = seedMetadata(target.nonce, seq)
    let answer
    try {
      answer = await target.gatewayCall(
        plan.model,
        { prompt: plan.prompt, max_tokens: plan.maxTokens },
        metadata
      )
    } catch (error) {
      target.seedMissing = `seeding failed: call ${seq} through the gateway: ${error.message}`
      return
    }
    const id = answer.headers['cf-aig-log-id']
    if (answer.status !== 200 || !id) {
      const hint =
        answer.status === 401 || answer.status === 403
          ? ' (the token needs Workers AI permission; an authenticated gateway also needs CLOUDFLARE_GATEWAY_TOKEN)'
          : ''
      target.seedMissing = `seeding failed: call ${seq} through the gateway was answered ${brief(answer)}${id ? '' : ', without a cf-aig-log-id'}${hint}`
      return
    }
    calls.push({
      seq,
      id,
      metadata,
      startedMs: answer.startedMs,
      endedMs: answer.endedMs
    })
  }
  const client = target.client('seed')
  const path = [
    'accounts',
    target.accountId,
    'ai-gateway',
    'gateways',
    target.gatewayId,
    'logs'
  ]
  const deadline = Date.now() + target.seedTimeoutMs
  let visible = false
  let problem
  while (!visible) {
    let answer
    try {
      answer = await client.cloudflare(path, [['per_page', 50]])
    } catch (error) {
      problem = `the seeded calls' logs could not be looked for: ${error.message}`
      break
    }
    const listed = new Set(
      Array.isArray(answer.json?.result)
        ? answer.json.result.map((r) => r?.id)
        : []
    )
    visible = calls.every((c) => listed.has(c.id))
    if (visible || Date.now() + target.seedPollMs > deadline) break
    await sleep(target.seedPollMs)
  }
  target.seed = { nonce: target.nonce, model: plan.model, calls, visible }
  target.seedMissing = visible
    ? ''
    : (problem ??
      `the seeded calls' logs were not all in the list within ${target.seedTimeoutMs / 1000} s`)
}
