/**
 * A tiny text classifier written from scratch for the model_score tests: an ONNX graph encoded by
 * hand from onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto field numbers)
 * plus BERT-style tokenizer files, laid out as transformers.js reads a local model
 * (`<dir>/<name>/config.json`, `tokenizer.json`, `tokenizer_config.json`, `onnx/model.onnx`).
 *
 * The network: logits = masked_mean(Embedding[input_ids], attention_mask) · W + B, two labels.
 * Each word's embedding is (0, weight), W = identity and B = 0, so the logit of label 1 minus that
 * of label 0 is the mean of the words' weights over all tokens ([CLS] and [SEP] included), and the
 * score of label 1 is sigmoid of that mean: the tests can predict every score exactly.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// --- protobuf wire format: just what onnx.proto needs -------------------------------------------

function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

type Field = number[];
const intField = (no: number, value: number | bigint): Field => [...varint((no << 3) | 0), ...varint(value)];
function bytesField(no: number, bytes: Uint8Array | number[]): Field {
  return [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes];
}
const stringField = (no: number, s: string): Field => bytesField(no, [...Buffer.from(s, 'utf8')]);
const message = (...fields: Field[]): number[] => fields.flat();

const FLOAT = 1;
const INT64 = 7;

function tensor(name: string, dataType: number, dims: number[], raw: Uint8Array): Field {
  // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian)
  return message(...dims.map((d) => intField(1, d)), intField(2, dataType), stringField(8, name), bytesField(9, raw));
}
const floats = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);
const int64s = (values: number[]) => new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer);

function valueInfo(name: string, elemType: number, dims: (number | string)[]): Field {
  // ValueInfoProto{name = 1, type = 2 TypeProto{tensor_type = 1 {elem_type = 1, shape = 2 {dim = 1 {dim_value = 1 | dim_param = 2}}}}}
  const shape = message(...dims.map((d) => bytesField(1, typeof d === 'number' ? intField(1, d) : stringField(2, d))));
  return message(stringField(1, name), bytesField(2, bytesField(1, message(intField(1, elemType), bytesField(2, shape)))));
}

function node(op: string, inputs: string[], outputs: string[], attrs: { name: string; int: number }[] = []): Field {
  // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5 AttributeProto{name = 1, i = 3, type = 20 (INT = 2)}
  return message(
    ...inputs.map((i) => stringField(1, i)),
    ...outputs.map((o) => stringField(2, o)),
    stringField(3, `${op}_${outputs[0]}`),
    stringField(4, op),
    ...attrs.map((a) => bytesField(5, message(stringField(1, a.name), intField(3, a.int), intField(20, 2)))),
  );
}

/** The ONNX bytes of the masked-mean classifier over `weights` (one per vocabulary id). */
export function classifierOnnx(weights: number[]): Uint8Array {
  const embedding = weights.flatMap((w) => [0, w]);
  const graph = message(
    bytesField(1, node('Gather', ['embedding', 'input_ids'], ['embedded'])),
    bytesField(1, node('Cast', ['attention_mask'], ['mask'], [{ name: 'to', int: FLOAT }])),
    bytesField(1, node('Unsqueeze', ['mask', 'axis_last'], ['mask3'])),
    bytesField(1, node('Mul', ['embedded', 'mask3'], ['masked'])),
    bytesField(1, node('ReduceSum', ['masked', 'axis_seq'], ['summed'], [{ name: 'keepdims', int: 0 }])),
    bytesField(1, node('ReduceSum', ['mask3', 'axis_seq'], ['count'], [{ name: 'keepdims', int: 0 }])),
    bytesField(1, node('Div', ['summed', 'count'], ['pooled'])),
    bytesField(1, node('MatMul', ['pooled', 'classifier_w'], ['projected'])),
    bytesField(1, node('Add', ['projected', 'classifier_b'], ['logits'])),
    stringField(2, 'tiny_classifier'),
    bytesField(5, tensor('embedding', FLOAT, [weights.length, 2], floats(embedding))),
    bytesField(5, tensor('classifier_w', FLOAT, [2, 2], floats([1, 0, 0, 1]))),
    bytesField(5, tensor('classifier_b', FLOAT, [2], floats([0, 0]))),
    bytesField(5, tensor('axis_last', INT64, [1], int64s([2]))),
    bytesField(5, tensor('axis_seq', INT64, [1], int64s([1]))),
    bytesField(11, valueInfo('input_ids', INT64, ['batch', 'sequence'])),
    bytesField(11, valueInfo('attention_mask', INT64, ['batch', 'sequence'])),
    bytesField(12, valueInfo('logits', FLOAT, ['batch', 2])),
  );
  // ModelProto: ir_version = 1 (8), producer_name = 2, graph = 7, opset_import = 8 {domain = 1, version = 2}
  return new Uint8Array(message(intField(1, 8), stringField(2, 'villers-tests'), bytesField(7, graph), bytesField(8, message(stringField(1, ''), intField(2, 13)))));
}

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];

/**
 * Writes the model under `<root>/<name>`: `words` maps each vocabulary word to its weight towards
 * label 1 (`labels[1]`); special tokens and unknown words weigh 0.
 */
export function writeTinyClassifier(root: string, name: string, words: Record<string, number>, labels: [string, string] = ['low', 'high']): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const vocab: Record<string, number> = {};
  for (const token of [...SPECIAL, ...Object.keys(words)]) vocab[token] = Object.keys(vocab).length;
  const weights = Object.keys(vocab).map((token) => words[token] ?? 0);
  writeFileSync(join(dir, 'onnx', 'model.onnx'), classifierOnnx(weights));
  const special = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map((t, i) => special(t, i)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: false, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 64, pad_token: '[PAD]', unk_token: '[UNK]', cls_token: '[CLS]', sep_token: '[SEP]' }),
  );
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      model_type: 'bert',
      architectures: ['BertForSequenceClassification'],
      id2label: { 0: labels[0], 1: labels[1] },
      label2id: { [labels[0]]: 0, [labels[1]]: 1 },
    }),
  );
  return dir;
}

/** What the network computes for a text, for the tests to predict: sigmoid of the mean token weight. */
export function expectedScore(text: string, words: Record<string, number>): number {
  const tokens = text.toLowerCase().match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
  const weights = [0, ...tokens.map((t) => words[t] ?? 0), 0];
  const mean = weights.reduce((a, b) => a + b, 0) / weights.length;
  return 1 / (1 + Math.exp(-mean));
}
