import { TokenHashes, hashTokens, tokenize } from '../text/tokenize.js';
import type { LanguageGuess, LanguageIdentifier } from './fasttext.js';
import { FRENCH_WORD_SHAPE, LEXICON_LANGUAGES, WORD_LANGUAGES } from './lexicons.js';
import { prepareForIdentification } from './prepare.js';

/** What the French-first identifier says of a text, with fastText's own verdict kept beside it. */
export interface Identification extends LanguageGuess {
  /** fastText's best guess on the prepared text, before lexical evidence. */
  fasttext: LanguageGuess;
  /** Number of words the decision saw. */
  words: number;
}

/**
 * How much a lexicon word weighs against fastText, by text length. On a word or two fastText's
 * character n-grams are unreliable ("de la" comes out Spanish, "mais" Portuguese) and the
 * lexicons decide; on long texts fastText leads and the lexicons only tip close calls between
 * French and its neighbours (Occitan, Catalan, Walloon), whose function words differ.
 */
function lexicalWeight(words: number): number {
  return 2 * Math.sqrt(3 / Math.max(3, words));
}

/** Share of fastText's distribution kept on short texts; the rest is spread evenly over candidates. */
function fastTextTrust(words: number): number {
  return words / (words + 1.5);
}

const FASTTEXT_TOP = 10;
const SHAPE_BONUS = 0.4;
const UNINFORMED = 0.2;
const LEXICAL_CHARS = 1500;
/** fastText's n-gram average is settled long before this; its cost grows with every character. */
const FASTTEXT_CHARS = 2000;
/** Lexicon words a paragraph needs in a language, and how many times those of any other. */
const AGREEMENT_WORDS = 3;
const AGREEMENT_RATIO = 2;

/** The start of a prepared text, cut at a space so that no word is cut in two. */
function head(prepared: string, max: number): string {
  if (prepared.length <= max) return prepared;
  const space = prepared.lastIndexOf(' ', max);
  return prepared.slice(0, space > max / 2 ? space : max);
}

/** For each lexicon word, the indices in LEXICON_LANGUAGES of the languages that list it. */
const WORD_LANGUAGE_INDICES = new Map<string, Uint8Array>(
  [...WORD_LANGUAGES].map(([w, langs]) => [w, Uint8Array.from(langs, (l) => LEXICON_LANGUAGES.indexOf(l))]),
);
const lexicalSums = new Float64Array(LEXICON_LANGUAGES.length);
const firstSeen: number[] = [];

/**
 * The same index by case-folded word hash (tokenize.ts's hashTokens, accents kept), for the
 * agreement check, which needs no strings; lexicon entries of two tokens ("c'est") never match a
 * token are left out. Keys are cut to 30 bits so that V8 keeps them as small integers.
 */
const HASH_LANGUAGE_INDICES = (() => {
  const index = new Map<number, Uint8Array>();
  const one = new TokenHashes(4);
  for (const [w, langs] of WORD_LANGUAGE_INDICES) {
    // An elided word ("l'") is a token with its apostrophe only before a word.
    const elided = w.endsWith("'");
    if (hashTokens(elided ? `${w}x` : w, one, { stripAccents: false }).count === (elided ? 2 : 1)) index.set(one.hashes[0]! & 0x3fffffff, langs);
  }
  return index;
})();
const agreementHashes = new TokenHashes();

/**
 * Lexicon words of each language among the first words of a prepared text (a shared word is
 * split), languages in the order their first word came, summed in an array rather than a map.
 */
function lexicalEvidence(prepared: string): { lexical: Map<string, number>; words: number; unknownFrenchShaped: number } {
  const tokens = tokenize(prepared.length > LEXICAL_CHARS ? prepared.slice(0, LEXICAL_CHARS) : prepared, { lower: true });
  lexicalSums.fill(0);
  firstSeen.length = 0;
  let unknown = 0;
  for (const w of tokens) {
    const langs = WORD_LANGUAGE_INDICES.get(w);
    if (!langs) {
      unknown++;
      continue;
    }
    const share = 1 / langs.length;
    for (const l of langs) {
      if (lexicalSums[l] === 0) firstSeen.push(l);
      lexicalSums[l] = lexicalSums[l]! + share;
    }
  }
  const lexical = new Map<string, number>();
  for (const l of firstSeen) lexical.set(LEXICON_LANGUAGES[l]!, lexicalSums[l]!);
  // The shape of unknown words only counts on texts of three words or fewer.
  let unknownFrenchShaped = 0;
  if (unknown > 0 && tokens.length <= 3) for (const w of tokens) if (!WORD_LANGUAGE_INDICES.has(w) && FRENCH_WORD_SHAPE.test(w)) unknownFrenchShaped++;
  return { lexical, words: tokens.length, unknownFrenchShaped };
}

/**
 * French-first language identification: fastText lid.176 on text prepared for it (capitals,
 * apostrophes, URLs), combined log-linearly with hand-written lexicons of French and of the
 * languages most often confused with it.
 */
export function frenchFirstIdentifier(fasttext: LanguageIdentifier, options: { preferred?: string; preference?: number } = {}) {
  // An optional prior for the preferred language, fading as the text grows (it follows the
  // lexical weight). Off by default: even 0.1 turns 8-17% of single German, English, Italian and
  // Spanish words French on Leipzig sentences, for +10 points on French single words.
  const preferred = options.preferred ?? 'fr';
  const preference = options.preference ?? 0;
  /** `maxChars` cuts what fastText reads (at a word), for a quick look at a long text. */
  function identify(text: string, maxChars = FASTTEXT_CHARS): Identification | null {
    // A short look needs only the start prepared (preparation only ever shortens a text).
    const prepared = prepareForIdentification(maxChars < FASTTEXT_CHARS ? head(text, maxChars) : text);
    if (!prepared) return null;
    const ft = fasttext.identify(head(prepared, Math.min(maxChars, FASTTEXT_CHARS)), FASTTEXT_TOP);
    if (ft.length === 0) return null;
    // Lexicons matter on short texts and close calls; the first words tell enough.
    const { lexical, words: n, unknownFrenchShaped } = lexicalEvidence(prepared);
    if (unknownFrenchShaped > 0 && n <= 3) lexical.set('fr', (lexical.get('fr') ?? 0) + SHAPE_BONUS * unknownFrenchShaped);

    const candidates = new Set<string>([...ft.map((g) => g.lang), ...lexical.keys()]);
    const floor = Math.max(1e-4, (ft[ft.length - 1]!.score ?? 0) / 2);
    // On words it has no n-gram for, lid.176 answers a fixed near-uniform prior (en 0.12, ca 0.09…).
    const trust = fastTextTrust(Math.max(1, n)) * (ft[0]!.score < UNINFORMED ? 0.5 : 1);
    const weight = lexicalWeight(n);
    const uniform = 1 / candidates.size;
    const logScores: [string, number][] = [];
    for (const lang of candidates) {
      const p = ft.find((g) => g.lang === lang)?.score ?? floor;
      logScores.push([lang, Math.log(trust * p + (1 - trust) * uniform) + weight * ((lexical.get(lang) ?? 0) + (lang === preferred ? preference : 0))]);
    }
    const max = Math.max(...logScores.map(([, s]) => s));
    let total = 0;
    for (const [, s] of logScores) total += Math.exp(s - max);
    let best = logScores[0]!;
    for (const e of logScores) if (e[1] > best[1]) best = e;
    return { lang: best[0], score: Math.exp(best[1] - max) / total, fasttext: ft[0]!, words: n };
  }

  /**
   * Whether a text's function words are plainly those of `lang`: at least three of its lexicon
   * words, and twice as many as of any other language. Cheap (no fastText), it
   * lets a paragraph of a confidently identified document go without a fastText call of its own.
   */
  function agrees(text: string, lang: string): boolean {
    const target = LEXICON_LANGUAGES.indexOf(lang);
    if (target < 0) return false;
    // Hashes, not strings: the tokeniser folds case and reads ’ as ' itself; text left unprepared
    // (NFD, say) or a rare hash collision can only change whether fastText is asked, never a score.
    const hashes = hashTokens(text.length > LEXICAL_CHARS ? text.slice(0, LEXICAL_CHARS) : text, agreementHashes, { stripAccents: false });
    lexicalSums.fill(0);
    for (let i = 0; i < hashes.count; i++) {
      const langs = HASH_LANGUAGE_INDICES.get(hashes.hashes[i]! & 0x3fffffff);
      if (!langs) continue;
      const share = 1 / langs.length;
      for (const l of langs) lexicalSums[l] = lexicalSums[l]! + share;
    }
    const own = lexicalSums[target]!;
    if (own < AGREEMENT_WORDS) return false;
    for (let l = 0; l < lexicalSums.length; l++) if (l !== target && own < AGREEMENT_RATIO * lexicalSums[l]!) return false;
    return true;
  }
  return { identify, agrees };
}

export type FrenchFirstIdentifier = ReturnType<typeof frenchFirstIdentifier>;
