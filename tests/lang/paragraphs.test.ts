import { describe, expect, it } from 'vitest';
import { loadFastText } from '../../src/lang/fasttext.js';
import { frenchFirstIdentifier } from '../../src/lang/identify.js';
import { identifyByParagraph } from '../../src/lang/paragraphs.js';
import { LangOptions, createLanguageJudge } from '../../src/lang/stage.js';

const identifier = frenchFirstIdentifier(await loadFastText());

// Paragraphs written for these tests.
const FR = [
  "La médiathèque du quartier prête des livres, des disques et des films à tous les habitants qui s'inscrivent à l'accueil.",
  "Les horaires changent pendant l'été : elle ouvre le matin du mardi au samedi et ferme le lundi toute la journée.",
  "Pour emprunter un document, il suffit de présenter sa carte et de le rendre dans un délai de trois semaines.",
];
const ES = 'La biblioteca del barrio presta libros y películas a todos los vecinos que se inscriben en la recepción, pero los domingos está cerrada.';
const DE = 'Die Bibliothek des Viertels verleiht Bücher und Filme an alle Bewohner, die sich am Empfang anmelden, und sie ist am Sonntag geschlossen.';

describe('paragraphs trusted to the document’s language', () => {
  it('agree only when their function words are plainly those of that language', () => {
    for (const p of FR) expect(identifier.agrees(p, 'fr')).toBe(true);
    expect(identifier.agrees(ES, 'fr')).toBe(false);
    expect(identifier.agrees(DE, 'fr')).toBe(false);
    expect(identifier.agrees('El català és una llengua romànica parlada a Catalunya, al País Valencià i a les Illes Balears.', 'fr')).toBe(false);
    expect(identifier.agrees("L'occitan es una lenga romanica parlada dins lo sud de França, en Itàlia e en Espanha.", 'fr')).toBe(false);
    expect(identifier.agrees('Ok, très bien.', 'fr')).toBe(false); // too few words to tell
  });

  it('take the trusted identification; the others are identified on their own', () => {
    const text = [FR[0], ES, FR[1]].join('\n\n');
    const trusted = identifier.identify(text, 300)!;
    expect(trusted.lang).toBe('fr');
    const doc = identifyByParagraph(text, identifier, 60, trusted)!;
    expect(doc.paragraphs.map((p) => p.id?.lang)).toEqual(['fr', 'es', 'fr']);
    expect(doc.paragraphs[0]!.id).toBe(trusted);
    expect(doc.paragraphs[1]!.id).not.toBe(trusted);
  });

  it('still remove a paragraph in another language from a confidently French document', async () => {
    const judge = await createLanguageJudge(LangOptions.parse({ stage: 'lang' }));
    const v = judge([FR[0], FR[1], DE, FR[2]].join('\n\n'))!;
    expect(v.lang).toBe('fr');
    expect(v.signals.paragraphs_removed).toBe(1);
    expect(v.text).toBe([FR[0], FR[1], FR[2]].join('\n\n'));
  });
});
