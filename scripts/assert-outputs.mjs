// `node scripts/assert-outputs.mjs '<outputs as JSON>' name=value name~text …`: checks a step's outputs, as
// the CI job that runs the action itself (`uses: ./`, .github/workflows/ci.yml) passes them with
// `toJSON(steps.<id>.outputs)`. `name=value` wants that exact value; `name~text` wants it to contain
// the text. Prints each comparison; exits 1 when one does not hold, 2 on bad arguments.
const [json, ...expectations] = process.argv.slice(2)

let outputs
try {
  outputs = JSON.parse(json ?? '')
} catch {
  console.error(
    'assert-outputs: the first argument must be the outputs as JSON'
  )
  process.exit(2)
}
if (expectations.length === 0) {
  console.error('assert-outputs: say what to expect: name=value or name~text')
  process.exit(2)
}

let failed = 0
for (const expectation of expectations) {
  const m = /^([A-Za-z0-9_-]+)([=~])([\s\S]*)$/.exec(expectation)
  if (!m) {
    console.error(
      `assert-outputs: not name=value nor name~text: ${expectation}`
    )
    process.exit(2)
  }
  const [, name, how, wanted] = m
  const actual = outputs[name]
  const ok =
    typeof actual === 'string' &&
    (how === '=' ? actual === wanted : actual.includes(wanted))
  if (!ok) failed++
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${name} ${how === '=' ? 'is' : 'contains'} ${JSON.stringify(wanted)}${ok ? '' : `, got ${actual === undefined ? 'no such output' : JSON.stringify(actual)}`}`
  )
}
process.exit(failed ? 1 : 0)
