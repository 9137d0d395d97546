// ESM + ts-jest, as in actions/typescript-action: @actions/core and @actions/github are ESM-only, so the tests are too.
// Run through `npm test`, which sets NODE_OPTIONS=--experimental-vm-modules.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  // The end-to-end tests spawn dist/index.js and a local server: give them room on a 2-core machine.
  testTimeout: 30000,
  verbose: false
}
