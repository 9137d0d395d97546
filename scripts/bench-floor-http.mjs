// The floor for this action's client (benchmark C): the same GET as bench-floor.mjs, over node:http
// as the action makes it (global fetch pays for loading undici), and the same two comparisons.
import http from 'node:http'

const input = (name) => process.env[`INPUT_${name.toUpperCase()}`] ?? ''
const url = `${input('api-url')}/accounts/${encodeURIComponent(input('account-id'))}/ai-gateway/gateways/${encodeURIComponent(input('gateway-id'))}/logs/${encodeURIComponent(input('log-id'))}`
const body = await new Promise((resolve, reject) => {
  const req = http.get(
    url,
    { headers: { authorization: `Bearer ${input('api-token')}` } },
    (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (text += chunk))
      res.on('end', () => resolve(text))
    }
  )
  req.on('error', reject)
})
const { result } = JSON.parse(body)
const costOk = result.cost <= Number(input('max-cost'))
const durationOk = result.duration <= Number(input('max-duration'))
console.log(
  `cost ${result.cost} ${costOk ? 'ok' : 'over'}, duration ${result.duration} ${durationOk ? 'ok' : 'over'}`
)
process.exit(costOk && durationOk ? 0 : 1)
