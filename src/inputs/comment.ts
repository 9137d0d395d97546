// The PR comment inputs: comment (off, update, new), comment-key, comment-on, pr-number, github-token.
import { INPUT, type RawInputs } from './names.js'
import type { Problems } from './problems.js'
import { parseWhole } from './units.js'

export type CommentMode = 'off' | 'update' | 'new'

/** `always`: a comment on every run; `breach`: only when the result is fail or error (and a pass corrects it). */
export type CommentOn = 'always' | 'breach'

export interface CommentConfig {
  mode: CommentMode
  key: string
  githubToken: string
  on: CommentOn
  /** The pull request to comment on whatever the event; unset: the event's own pull request. */
  prNumber?: number
}

/** The default comment key: one comment per workflow and job, so re-runs update their own. */
export function defaultCommentKey(env: NodeJS.ProcessEnv): string {
  const workflow = env.GITHUB_WORKFLOW ?? ''
  const job = env.GITHUB_JOB ?? ''
  return workflow || job ? `${workflow}/${job}` : 'ai-gateway-gate'
}

export function parseComment(
  raw: RawInputs,
  problems: Problems,
  env: NodeJS.ProcessEnv
): CommentConfig {
  const commentInput = raw[INPUT.comment].toLowerCase()
  let mode: CommentMode = 'off'
  if (commentInput === '' || commentInput === 'off' || commentInput === 'false')
    mode = 'off'
  else if (commentInput === 'update' || commentInput === 'true') mode = 'update'
  else if (commentInput === 'new') mode = 'new'
  else
    problems.bad(
      INPUT.comment,
      raw[INPUT.comment],
      'is not one of off, update, new (or true, false)'
    )
  const githubToken = raw[INPUT.githubToken]
  if (mode !== 'off' && !githubToken)
    problems.add(
      `${INPUT.githubToken} is required when ${INPUT.comment} is ${mode}`
    )

  const commentOn = raw[INPUT.commentOn]
  let on: CommentOn = 'always'
  if (['', 'always'].includes(commentOn.toLowerCase())) on = 'always'
  else if (commentOn.toLowerCase() === 'breach') on = 'breach'
  else problems.bad(INPUT.commentOn, commentOn, 'is not one of always, breach')
  // `new` keeps every run's comment as history: a breach's comment could not be taken back by a later
  // pass without editing that history, so the pair is refused rather than given a surprising meaning.
  if (on === 'breach' && mode === 'new')
    problems.bad(
      INPUT.commentOn,
      commentOn,
      `needs ${INPUT.comment}: update (a pass corrects the one comment)`
    )

  let prNumber: number | undefined
  if (raw[INPUT.prNumber]) {
    const n = parseWhole(raw[INPUT.prNumber])
    if (n !== undefined && n > 0) prNumber = n
    else
      problems.bad(
        INPUT.prNumber,
        raw[INPUT.prNumber],
        'is not a pull request number (a whole number from 1)'
      )
  }
  const key = raw[INPUT.commentKey] || defaultCommentKey(env)
  return {
    mode,
    key,
    githubToken,
    on,
    ...(prNumber === undefined ? {} : { prNumber })
  }
}
