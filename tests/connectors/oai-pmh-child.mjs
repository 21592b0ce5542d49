// Runs one OAI-PMH harvest in its own process, so that a test can kill it with SIGKILL mid-way.
// Usage: node oai-pmh-child.mjs <base_url> <checkpoint.json> <out.txt>
// Every document and takedown is appended to <out.txt> as one line, synchronously, as it comes.
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const [baseUrl, checkpoint, out] = process.argv.slice(2);
const at = (p) => fileURLToPath(new URL(p, import.meta.url));
const { module: oai } = await runnerImport(at('../../src/connectors/oai-pmh/index.ts'));
const { testContext } = (await runnerImport(at('./helpers.ts'))).module;
const { SourceSchema } = (await runnerImport(at('../../src/schema/source.ts'))).module;

const { ctx } = testContext();
const reject = ctx.reject;
ctx.reject = (doc, stage, reason, detail) => {
  appendFileSync(out, `${reason} ${doc.id}\n`);
  reject(doc, stage, reason, detail);
};
const source = SourceSchema.parse({ id: 'sickle', name: 'sickle', connector: 'oai-pmh', license: 'CC0-1.0', options: {} });
const options = oai.oaiPmhConnector.options.parse({ base_url: baseUrl, checkpoint });
for await (const doc of oai.oaiPmhConnector.read(options, { source, baseDir: process.cwd() }, ctx)) {
  appendFileSync(out, `doc ${doc.id} ${doc.title}\n`);
}
appendFileSync(out, 'END\n');
