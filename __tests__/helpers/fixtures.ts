// Shared test data. The shape is the API's LogDetail, as Cloudflare's OpenAPI description of the AI Gateway logs endpoints gives it:
// a cheap, successful chat call with every always-present field and the usual optional ones.
import type { LogDetail } from '../../src/cloudflare/log.js'

export const LOG: LogDetail = {
  id: 'log-1',
  created_at: '2026-11-25T09:30:12.345Z',
  provider: 'openai',
  model: 'gpt-4o-mini',
  path: 'chat/completions',
  success: true,
  cached: false,
  status_code: 200,
  duration: 812,
  tokens_in: 412,
  tokens_out: 96,
  cost: 0.0012
}

/** The 25 outputs named after the log's fields, as action.yml declares them: the contract, spelt out. */
export const LOG_FIELD_OUTPUTS = [
  'id',
  'created-at',
  'provider',
  'model',
  'model-type',
  'path',
  'success',
  'cached',
  'status-code',
  'duration',
  'tokens-in',
  'tokens-out',
  'cost',
  'custom-cost',
  'step',
  'metadata',
  'request-type',
  'request-content-type',
  'request-size',
  'request-head',
  'request-head-complete',
  'response-content-type',
  'response-size',
  'response-head',
  'response-head-complete'
]
