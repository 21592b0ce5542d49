// Fixtures written by hand for the release tests: two small sources of French text the villers team
// wrote for this purpose, a recipe over them, and helpers to run it into a temporary output root.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHRONIQUES = [
  'La place du marché se remplit dès sept heures, quand les maraîchers installent leurs étals de légumes.',
  'Le conseil municipal a voté hier soir la rénovation de la salle des fêtes, fermée depuis deux hivers.',
  'À la bibliothèque, les enfants écoutent chaque mercredi une conteuse venue de la ville voisine.',
  'La rivière a débordé après les pluies de la semaine, mais les digues construites au printemps ont tenu.',
];
export const GLOSSAIRE = [
  'Ordonnance : texte pris par le roi, qui a force de loi dans tout le royaume.',
  'Greffier : officier qui tient les registres d’un tribunal et conserve la mémoire des jugements.',
  'Bailliage : circonscription où un bailli rend la justice au nom du souverain.',
];

const jsonl = (prefix: string, texts: string[], license: string) =>
  texts.map((text, i) => JSON.stringify({ id: `${prefix}-${i + 1}`, text, url: `https://${prefix}.villers.example/${i + 1}`, license, attribution: `Rédaction ${prefix}` })).join('\n') + '\n';

export interface Workspace {
  root: string;
  out: string;
  recipe: string;
  write(recipe: Record<string, unknown>): Promise<void>;
}

/** Two sources (CC BY 4.0 chronicles, CC BY-SA 4.0 glossary) and a recipe publishing both. */
export async function workspace(options: { chroniques?: string[]; glossaire?: string[] } = {}): Promise<Workspace> {
  const root = await mkdtemp(join(tmpdir(), 'villers-release-'));
  await mkdir(join(root, 'sources', 'chroniques'), { recursive: true });
  await mkdir(join(root, 'sources', 'glossaire'), { recursive: true });
  await mkdir(join(root, 'datasets'));
  await writeSources(root, options.chroniques ?? CHRONIQUES, options.glossaire ?? GLOSSAIRE);
  const recipe = join(root, 'datasets', 'gazette.yaml');
  const ws: Workspace = {
    root,
    out: join(root, 'out'),
    recipe,
    async write(r) {
      await writeFile(recipe, JSON.stringify(r));
    },
  };
  await ws.write(baseRecipe());
  return ws;
}

export async function writeSources(root: string, chroniques: string[], glossaire: string[]): Promise<void> {
  await writeFile(join(root, 'sources', 'chroniques', 'a.jsonl'), jsonl('chroniques', chroniques, 'CC-BY-4.0'));
  await writeFile(join(root, 'sources', 'glossaire', 'a.jsonl'), jsonl('glossaire', glossaire, 'CC-BY-SA-4.0'));
  for (const [id, name] of [['chroniques', 'Chroniques du village'], ['glossaire', 'Petit glossaire juridique']]) {
    await writeFile(
      join(root, 'sources', `${id}.yaml`),
      `id: ${id}\nname: ${name}\nconnector: files\nlicense_evidence: per record (license field of ${id}/a.jsonl)\ndate_retrieved: 2026-11-30T00:00:00Z\noptions: { path: ${id}, format: jsonl }\n`,
    );
  }
}

export function baseRecipe(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dataset: 'gazette',
    version: '1.0.0',
    description: 'Chroniques et glossaire écrits par l’équipe villers.',
    pretty_name: 'Gazette de Villers',
    sources: ['chroniques', 'glossaire'],
    stages: [{ stage: 'license', allow: ['CC-BY-4.0', 'CC-BY-SA-4.0'] }],
    output: { shard_target_bytes: '1KB', row_group_bytes: '512B' },
    ...extra,
  };
}
