/**
 * Flags every driftwatch process is started with: the `driftwatch` command (bin/driftwatch.js),
 * `npm start`, and the processes the tests and benchmarks start. A spec keeps those in step.
 *
 * `--max-semi-space-size=4`: V8 sizes the young generation from the machine's memory (16 MB
 * semi-spaces on a 24 GiB machine, a 48 MB young generation). A fleet scan keeps every host's
 * connection, output and parse alive across many scavenges, so much of it is promoted and the
 * old generation grows until its next full collection. With 4 MB semi-spaces the peak RSS of a
 * 500-host scan was 137-153 MB in six runs, against 174-224 MB on Node's defaults (8 MB: 143-205,
 * 2 MB: 178-185), at the same CPU per host within the runs' spread (see bench/README.md).
 * NODE_OPTIONS can still override it.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
