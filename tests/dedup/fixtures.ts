/**
 * French texts written by hand for the dedup tests (no third-party text), and the perturbations
 * a corpus really contains: a changed word, reordered paragraphs, an added footer, a paragraph
 * whose accents were stripped, a copy with other case and punctuation.
 */

export const BASES: Record<string, string[]> = {
  conseil: [
    "Le conseil municipal de Villers s'est réuni mardi soir dans la salle des fêtes pour examiner le budget de l'année prochaine. Le maire a présenté les grandes lignes du projet : une hausse modérée des dépenses de fonctionnement, la rénovation de l'école élémentaire et l'entretien des chemins communaux, qui souffrent encore des pluies de l'hiver dernier.",
    "Plusieurs élus de l'opposition ont regretté que la réfection de la place du marché soit une nouvelle fois repoussée. Selon eux, les commerçants attendent depuis des années un aménagement qui facilite le stationnement et rende le centre du village plus agréable pour les familles qui viennent faire leurs courses le samedi matin.",
    "Après deux heures de débat, le budget a été adopté par quinze voix contre quatre. Le conseil a également voté une subvention exceptionnelle à l'association des parents d'élèves, qui organise en juin une kermesse au profit de la bibliothèque, et a décidé de créer un groupe de travail sur la circulation aux abords de la gare.",
  ],
  jardin: [
    "Au printemps, le potager demande une attention de chaque jour. Il faut d'abord ameublir la terre à la grelinette, sans la retourner, pour préserver la vie du sol. On y incorpore ensuite un compost bien mûr, puis on trace les rangs au cordeau avant de semer les radis, les carottes et les premières laitues.",
    "Les tomates ne se plantent pas avant la mi-mai, quand les nuits ne risquent plus de geler. On choisit un emplacement ensoleillé, abrité du vent, et l'on enfonce un tuteur solide au moment de la plantation pour ne pas abîmer les racines plus tard. Un paillage de tontes de gazon garde l'humidité et limite les mauvaises herbes.",
    "L'arrosage se fait de préférence le soir, au pied des plantes et jamais sur le feuillage, pour éviter les maladies. Un jardinier patient observe aussi les insectes : les coccinelles qui dévorent les pucerons sont des alliées précieuses, et quelques fleurs semées entre les rangs suffisent souvent à les attirer.",
  ],
  histoire: [
    "La petite ville doit son nom à un domaine agricole de l'époque romaine, dont les fondations ont été retrouvées au siècle dernier lors du creusement d'un canal. Au Moyen Âge, une abbaye s'installe sur la colline et attire des artisans, des meuniers et des marchands qui bâtissent leurs maisons le long de la rivière.",
    "Pendant la Révolution, les biens de l'abbaye sont vendus et l'église devient un entrepôt de fourrage. Il faut attendre le milieu du dix-neuvième siècle pour que la commune rachète le bâtiment et le rende au culte, grâce à une souscription à laquelle participent presque toutes les familles du canton.",
    "L'arrivée du chemin de fer en 1872 transforme la vie locale : une filature s'installe près de la gare et emploie jusqu'à trois cents ouvriers. Elle ferme ses portes en 1968, mais ses bâtiments de brique accueillent aujourd'hui une médiathèque, des ateliers d'artistes et un petit musée consacré à l'industrie textile.",
  ],
  recette: [
    "Pour réussir une tarte aux pommes à l'ancienne, préparez d'abord une pâte brisée avec deux cent cinquante grammes de farine, cent vingt-cinq grammes de beurre froid coupé en dés, une pincée de sel et un peu d'eau. Travaillez-la du bout des doigts, sans trop la pétrir, puis laissez-la reposer une heure au frais.",
    "Pendant ce temps, épluchez six pommes bien fermes, retirez le cœur et coupez-les en fines lamelles. Faites fondre quelques pommes supplémentaires avec un peu de sucre et une gousse de vanille pour obtenir une compote épaisse, qui formera le fond de la tarte et lui donnera tout son moelleux.",
    "Étalez la pâte dans un moule beurré, piquez-la à la fourchette, versez la compote et disposez les lamelles en rosace. Parsemez de quelques noisettes de beurre et de sucre, puis enfournez quarante minutes à cent quatre-vingts degrés. Servez tiède, éventuellement accompagnée d'une boule de glace à la vanille.",
  ],
};

/** Texts on other subjects: never to be merged with the bases or each other. */
export const UNRELATED: Record<string, string> = {
  velo: "Le tour du lac à vélo se fait en une demi-journée pour un cycliste entraîné. Le départ se prend sur le parking de la plage, puis la route longe la rive est à travers les vignes avant de grimper vers le col, d'où l'on découvre toute la vallée. La descente est rapide et demande des freins en bon état ; mieux vaut la faire sans se presser, d'autant que les tracteurs sont nombreux à la saison des vendanges. Au retour, plusieurs cafés accueillent les sportifs sur leur terrasse au bord de l'eau.",
  meteo: "Une perturbation venue de l'Atlantique abordera les côtes bretonnes dans la nuit de jeudi à vendredi. Elle apportera des pluies soutenues et un vent de sud-ouest qui pourra souffler en rafales jusqu'à quatre-vingt-dix kilomètres par heure sur le littoral. Dans l'intérieur des terres, les averses seront plus éparses et des éclaircies reviendront dès samedi après-midi. Les températures resteront douces pour la saison, avec des maximales comprises entre douze et quinze degrés du nord au sud de la région.",
  bibliotheque: "La bibliothèque municipale change ses horaires à partir du mois prochain. Elle sera désormais ouverte le mercredi toute la journée et le samedi matin, tandis que la fermeture du lundi est maintenue. Les lecteurs pourront emprunter jusqu'à dix documents pour trois semaines, dont deux jeux vidéo, et réserver des ouvrages en ligne depuis le portail du réseau intercommunal. Une boîte de retour installée devant l'entrée permet de rendre les livres en dehors des heures d'ouverture.",
  astronomie: "Les nuits d'août sont idéales pour observer les Perséides, ces étoiles filantes qui semblent jaillir de la constellation de Persée. Il suffit de s'éloigner des lumières de la ville, de s'allonger dans l'herbe et de laisser ses yeux s'habituer à l'obscurité pendant une vingtaine de minutes. Au plus fort de l'essaim, on peut compter plusieurs dizaines de météores par heure. Une couverture, une boisson chaude et un peu de patience valent mieux que n'importe quel télescope pour profiter du spectacle.",
};

export const text = (paragraphs: string[]) => paragraphs.join('\n\n');

const stripAccents = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');

/** The variants of one base, each expected in the base's cluster. */
export function variants(base: string[]): Record<string, string> {
  const changed = base.map((p, i) => (i === 1 ? p.replace(/\b(\p{L}{6,})\b/u, 'autrement') : p));
  return {
    copy: text(base),
    recased: text(base).toUpperCase().replace(/[,;:]/g, ' '),
    changed_word: text(changed),
    reordered: text([base[2]!, base[0]!, base[1]!]),
    footer: text([...base, "Article publié avec l'aimable autorisation de l'auteur. Tous nos articles sont à retrouver dans l'édition du dimanche."]),
    accents_stripped: text([base[0]!, stripAccents(base[1]!), base[2]!]),
  };
}

export interface FixtureDoc {
  id: string;
  text: string;
  license?: string | null;
  date_published?: string | null;
}

/** Every base with its variants, and the unrelated texts; the expected group is the id before "/". */
export function corpus(): FixtureDoc[] {
  const docs: FixtureDoc[] = [];
  for (const [name, base] of Object.entries(BASES)) for (const [kind, t] of Object.entries(variants(base))) docs.push({ id: `${name}/${kind}`, text: t });
  for (const [name, t] of Object.entries(UNRELATED)) docs.push({ id: `${name}/only`, text: t });
  return docs;
}
