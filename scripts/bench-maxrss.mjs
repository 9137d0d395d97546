// Preloaded by `npm run bench` (NODE_OPTIONS=--import) into the action's process: reports its peak
// resident memory on stderr at exit. Used only for the memory runs, which are not timed.
process.on('exit', () => {
  process.stderr.write(`max-rss-kib=${process.resourceUsage().maxRSS}\n`)
})
