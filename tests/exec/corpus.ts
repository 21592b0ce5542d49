// Test corpus written by the villers team for these tests: French sentences assembled from word
// lists below (our own), spread over many JSONL files, with traps that span files: duplicates of
// documents from other files, a malformed line, an English document, a refused licence.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const SUJETS = ['La bibliothèque municipale', 'Le conseil du village', 'Une association de quartier', 'La médiathèque', "L'école primaire", 'Le comité des fêtes', 'La mairie', 'Le club de randonnée'];
const VERBES = ['organise', 'présente', 'prépare', 'annonce', 'accueille', 'propose', 'soutient', 'raconte'];
const OBJETS = ['une exposition sur les métiers anciens', 'un atelier de lecture à voix haute', 'une balade commentée le long du canal', 'un concours de soupes de saison', 'une soirée de contes pour les enfants', 'un marché des producteurs locaux', 'une conférence sur la langue française', 'un chantier de plantation de haies'];
const SUITES = ["L'entrée est libre et les inscriptions se font à l'accueil.", 'Les bénévoles remercient chaleureusement tous les participants.', "Le programme détaillé sera affiché sur la porte de l'église.", 'Un goûter sera servi à la fin de la séance.', 'Les personnes intéressées peuvent venir avec leurs voisins.', 'La rencontre se tiendra même en cas de pluie, sous le préau.'];

/** xorshift32: the same corpus on every machine. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

export interface Corpus {
  recipe: string;
  dataDir: string;
  files: number;
}

/** A recipe (datasets/<name>.yaml) over `files` JSONL files of `docsPerFile` documents each. */
export async function writeCorpus(root: string, options: { files: number; docsPerFile: number; seed?: number; name?: string }): Promise<Corpus> {
  const name = options.name ?? 'exec-test';
  const rnd = prng(options.seed ?? 7);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const dataDir = join(root, 'sources', name);
  await mkdir(dataDir, { recursive: true });
  await mkdir(join(root, 'datasets'), { recursive: true });
  const written: string[] = [];
  for (let f = 0; f < options.files; f++) {
    const lines: string[] = [];
    for (let d = 0; d < options.docsPerFile; d++) {
      const n = 3 + Math.floor(rnd() * 5);
      const text = Array.from({ length: n }, () => `${pick(SUJETS)} ${pick(VERBES)} ${pick(OBJETS)} le ${1 + Math.floor(rnd() * 28)} du mois. ${pick(SUITES)}`).join(' ');
      // Every tenth document of a later file repeats one of an earlier file: a duplicate across tasks.
      const body = f > 0 && d % 10 === 3 ? written[Math.floor(rnd() * written.length)]! : text;
      written.push(text);
      lines.push(JSON.stringify({ id: `f${f}-d${d}`, text: body, url: `https://exemple.villers.test/${f}/${d}` }));
    }
    if (f === 1) lines.push('{"id": "broken", "text": ');
    if (f === 2) lines.push(JSON.stringify({ id: 'english', text: 'The village library organises a reading workshop every Tuesday evening; everyone is welcome to join and read aloud.' }));
    if (f === 3) lines.push(JSON.stringify({ id: 'nc', text: SUITES.join(' ') + ' Réservé à un usage non commercial.', license: 'CC-BY-NC-4.0' }));
    await writeFile(join(dataDir, `part-${String(f).padStart(4, '0')}.jsonl`), lines.join('\n') + '\n');
  }
  await writeFile(
    join(root, 'sources', `${name}.yaml`),
    [`id: ${name}`, 'name: Exec test corpus', 'connector: files', 'license: CC-BY-4.0', 'license_evidence: written by the villers team for the tests', 'date_retrieved: 2026-01-01T00:00:00Z', 'options:', `  path: ${name}`, ''].join('\n'),
  );
  const recipe = join(root, 'datasets', `${name}.yaml`);
  await writeFile(
    recipe,
    [
      `dataset: ${name}`,
      'version: 1.0.0',
      `sources: [${name}]`,
      'stages:',
      '  - stage: lang',
      '    languages: [fr]',
      '  - stage: dedup_exact',
      '  - stage: license',
      '    allow: [CC-BY-4.0]',
      'output:',
      '  shard_target_bytes: 64KB',
      '  row_group_bytes: 16KB',
      '',
    ].join('\n'),
  );
  return { recipe, dataDir, files: options.files };
}
