// The sequential reader (the baseline of `npm run bench`'s run gate): reads a run through the list
// endpoint as a plain script would, one page after another over node:http, with the same query as
// the action (one JSON `filters` parameter: the run's metadata pair and a created_at upper bound; 50 a
// page, ascending by created_at), stops at the first short page, re-checks each row's metadata, and
// computes the same totals (count, errors, total cost) against max-cost. Reads the same INPUT_*
// variables as the action; exits 1 on a breach.
import http from 'node:http'

const input = (name) => process.env[`INPUT_${name.toUpperCase()}`] ?? ''
const key = input('run-id-key') || 'run_id'
const runId = input('run-id')
const base = `${input('api-url')}/accounts/${encodeURIComponent(input('account-id'))}/ai-gateway/gateways/${encodeURIComponent(input('gateway-id'))}/logs`
// The action's bound: five minutes past now, at whole seconds.
const untilS = Math.ceil((Date.now() + 5 * 60_000) / 1000)
const filters = [
  { key: 'metadata.key', operator: 'eq', value: [key] },
  { key: 'metadata.value', operator: 'eq', value: [runId] },
  {
    key: 'created_at',
    operator: 'lt',
    value: [new Date(untilS * 1000).toISOString().replace('.000Z', 'Z')]
  }
]

function getPage(page) {
  const url = `${base}?filters=${encodeURIComponent(JSON.stringify(filters))}&per_page=50&page=${page}&order_by=created_at&order_by_direction=asc`
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      {
        headers: {
          authorization: `Bearer ${input('api-token')}`,
          accept: 'application/json'
        }
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(text).result)
            : reject(new Error(`HTTP ${res.statusCode}`))
        )
      }
    )
    req.on('error', reject)
  })
}

const rows = new Map()
for (let page = 1; ; page++) {
  const result = await getPage(page)
  for (const row of result) {
    const metadata =
      typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata
    if (metadata?.[key] === runId) rows.set(row.id, row)
  }
  if (result.length < 50) break
}
const logs = [...rows.values()]
const costUsd = logs.reduce((sum, log) => sum + log.cost, 0)
const errors = logs.filter((log) => log.success !== true).length
const costOk = costUsd <= Number(input('max-cost').replace('$', ''))
console.log(
  `${logs.length} calls, ${errors} errors, cost ${costUsd} ${costOk ? 'ok' : 'over'}`
)
process.exit(costOk ? 0 : 1)
