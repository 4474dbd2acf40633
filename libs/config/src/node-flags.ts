/**
 * Flags every driftwatch process is started with: the `driftwatch` command (bin/driftwatch.js),
 * `npm start`, and the processes the tests and benchmarks start. A spec keeps those in step.
 *
 * `--max-semi-space-size=8`: V8 sizes the young generation from the machine's memory (16 MB
 * semi-spaces here, a 48 MB young generation). A fleet scan keeps every host's connection,
 * output and parse alive for a second or more, so most of that is promoted and the old
 * generation grows until its next full collection. Halving the semi-spaces lowered the peak
 * RSS of a 500-host scan from 219-224 MB to 151-168 MB at the same CPU per host (see
 * bench/README.md). NODE_OPTIONS can still override it.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
