import { describe, expect, it } from '@jest/globals'
import {
  BudgetSpentError,
  QUERY_BUDGET,
  RequestBudget
} from '../../src/cloudflare/budget.js'

describe('BudgetSpentError', () => {
  it('is a BudgetSpentError by name, so a caller can tell it from the API’s own refusals', () => {
    const error = new BudgetSpentError(1, 'page 2 of the logs')
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('BudgetSpentError')
    expect(String(error)).toBe(
      'BudgetSpentError: The request budget is spent: request-budget allows 1 Cloudflare API request, all made before page 2 of the logs could be read. Cloudflare allows 1200 per 5 minutes per user and then locks the user out for 5 minutes: narrow the selection, or raise request-budget.'
    )
  })

  it('names the query budget when it is the one spent', () => {
    const error = new BudgetSpentError(300, 'the totals', QUERY_BUDGET)
    expect(error.name).toBe('BudgetSpentError')
    expect(error.message).toBe(
      'The query budget is spent: query-budget allows 300 GraphQL queries, all made before the totals could be read. Cloudflare allows 300 GraphQL queries per 5 minutes per user: shorten the window or ask for fewer percentiles, or raise query-budget.'
    )
  })
})

describe('RequestBudget', () => {
  it('takes up to its limit, then refuses and takes nothing more', () => {
    const budget = new RequestBudget(2)
    expect([budget.take(), budget.take(), budget.take()]).toEqual([
      true,
      true,
      false
    ])
    expect(budget.spent).toBe(2)
    expect(budget.left).toBe(0)
  })
})
