import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/samples.js';

// Runs the built CLI (npm test builds dist first) so the worker threads load real files.
const cli = join(repoRoot, 'dist', 'cli', 'main.js');

const FRENCH =
  "La médiathèque de notre commune rouvre lundi après trois mois de travaux. Les lecteurs y trouveront une salle d'étude agrandie, " +
  'un espace pour les enfants et un fonds de bandes dessinées enrichi. Les horaires changent aussi : ouverture le mardi soir ' +
  "jusqu'à vingt heures, fermeture le jeudi matin. L'inscription reste gratuite pour les habitants, sur présentation d'un justificatif.";

describe('villers filter', () => {
  it('keeps French lines with every input field and their signals, rejects the rest with reasons, on worker threads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'villers-filter-'));
    const lines = [
      JSON.stringify({ id: 'a', text: FRENCH.replace('Ã©', 'é'), source: 'mairie', extra: { n: 1 } }),
      JSON.stringify({ id: 'b', text: 'This English text is long enough for the language stage to judge it, and it is not French at all.' }),
      '{"id": "c", "text": ',
      JSON.stringify({ id: 'd' }),
      JSON.stringify({ id: 'e', text: Buffer.from(FRENCH, 'utf8').toString('latin1') }),
    ];
    writeFileSync(join(dir, 'in.jsonl'), lines.join('\n') + '\n');
    const out = execFileSync('node', [cli, 'filter', '--in', join(dir, 'in.jsonl'), '--out', join(dir, 'kept.jsonl'), '--rejects', join(dir, 'rej.jsonl'), '--workers', '2', '--json'], { encoding: 'utf8' });
    expect(JSON.parse(out)).toMatchObject({ read: 5, kept: 2, rejected: { 'lang.not_wanted': 1, 'filter.malformed': 1, 'filter.no_text': 1 } });
    const kept = readFileSync(join(dir, 'kept.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(kept.map((k) => k.id)).toEqual(['a', 'e']);
    expect(kept[0]).toMatchObject({ source: 'mairie', extra: { n: 1 }, lang: 'fr' });
    expect(kept[0].signals.gopher_quality.stop_words).toBeGreaterThan(2);
    expect(kept[1].text).toBe(FRENCH);
    expect(kept[1].signals.normalise.mojibake_repaired).toBeGreaterThan(0);
    const rejected = readFileSync(join(dir, 'rej.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejected.map((r) => r.reject.reason)).toEqual(['lang.not_wanted', 'filter.malformed', 'filter.no_text']);
  });

  it('langid prints "<lang> <score>" per line', () => {
    const out = execFileSync('node', [cli, 'langid'], { input: 'RECETTE : ÉPLUCHER LES POMMES ET LES COUPER EN QUARTIERS.\nDemat deoc\'h, penaos emañ ar bed ganeoc\'h ?\n', encoding: 'utf8' });
    const [fr, br] = out.trim().split('\n');
    expect(fr).toMatch(/^fr 0\.\d+$/);
    expect(br).toMatch(/^br 0\.\d+$/);
  });
});
