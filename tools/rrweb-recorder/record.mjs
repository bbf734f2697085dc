// One recorder for the test recordings of every module. Run from this folder after `npm ci`:
//
//   node record.mjs poller sample <out.json> <out.jsonl>     the poller's checkout session (rrweb array + PostHog JSONL)
//   node record.mjs poller busy <out.jsonl> <megabytes>      a busy page until the JSONL reaches the size (benchmarks)
//   node record.mjs analyzer problems <out.rrweb.json> <out.expected.json>
//   node record.mjs analyzer calm <out.rrweb.json> <out.expected.json>
//   node record.mjs analyzer busy <out.rrweb.json>
//   node record.mjs analyzer corpus <out folder> [name]      the labelled corpus (scenarios/corpus.mjs)
//   node record.mjs renderer [out folder]                    form-modal-idle (default: renderer/src/test/resources/recordings)
//
// Each scenario file says what its recordings show and where they are committed.
const [module, ...args] = process.argv.slice(2);
const scenarios = { poller: './scenarios/poller.mjs', analyzer: './scenarios/analyzer.mjs',
  renderer: './scenarios/renderer.mjs' };
if (!scenarios[module]) {
  console.error(`usage: node record.mjs ${Object.keys(scenarios).join('|')} <mode> <out>...  (see the comment at the `
    + 'top of record.mjs)');
  process.exit(2);
}
const { record } = await import(scenarios[module]);
await record(args);
