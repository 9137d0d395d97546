// The floor for any Node action (benchmark B): the same GET with global fetch and the same two
// comparisons, nothing else. Reads the same INPUT_* variables as the action; exits 1 on a breach.
const input = (name) => process.env[`INPUT_${name.toUpperCase()}`] ?? ''
const url = `${input('api-url')}/accounts/${encodeURIComponent(input('account-id'))}/ai-gateway/gateways/${encodeURIComponent(input('gateway-id'))}/logs/${encodeURIComponent(input('log-id'))}`
const res = await fetch(url, {
  headers: { authorization: `Bearer ${input('api-token')}` }
})
const { result } = await res.json()
const costOk = result.cost <= Number(input('max-cost'))
const durationOk = result.duration <= Number(input('max-duration'))
console.log(
  `cost ${result.cost} ${costOk ? 'ok' : 'over'}, duration ${result.duration} ${durationOk ? 'ok' : 'over'}`
)
process.exit(costOk && durationOk ? 0 : 1)
