/**
 * Short lists of the most frequent words (mostly function words) of French and of the languages
 * most often confused with it, written by the villers team from grammar knowledge, not extracted
 * from any corpus. They decide what character n-grams cannot on a word or two ("de la", "mais"),
 * and they tell French from its neighbours (Occitan, Catalan, Latin, Walloon, Breton) by words
 * those languages have and French has not.
 */
const words = (s: string): readonly string[] => s.trim().split(/\s+/);

export const LEXICONS: Readonly<Record<string, readonly string[]>> = {
  fr: words(`
    le la les l' un une des du de d' au aux et ou mais donc or ni car que qu' qui quoi dont où
    ce cet cette ces c' se s' sa son ses leur leurs mon ma mes ton ta tes notre nos votre vos
    je j' tu il elle on nous vous ils elles me m' te t' lui eux y en ne n' pas plus moins très
    est sont était étaient été être avoir a ont avait avaient aura sera fait faire dit peut
    dans par pour sur sous avec sans chez entre vers depuis pendant avant après contre selon
    aussi ainsi alors encore déjà toujours jamais tout tous toute toutes autre autres même
    comme quand si bien beaucoup peu trop où là ici aujourd'hui hier demain puis enfin
    deux trois quatre cinq six dix cent mille premier première dernier dernière
    ans année années jour jours fois temps monde pays ville vie homme femme enfants gens
    plusieurs chaque certains quelque quelques aucun aucune rien personne chose
    nouveau nouvelle grand grande petit petite bon bonne seul seule cependant pourtant
    lorsqu' lorsque puisque jusqu' parce c'est n'est s'est qu'il qu'elle d'un d'une l'on
    été également notamment surtout environ près loin dessus dessous contre-ci voici voilà
    nuit maison rue eau feu guerre roi reine état gouvernement président société travail
    ceux celle celui celles cela ceci ça moi toi soi leur-même mieux pire tant tel telle
    ont eu avons avez sommes êtes suis es fut furent serait seraient pourrait doit doivent
  `),
  en: words(`
    the a an and or but of to in on at by for with from as is are was were be been being have has
    had do does did not no yes it its this that these those he she they we you i me him her them
    his their our your my which who whom what when where why how all any some more most other such
    only own same so than too very can will just should would could may might must shall about
    into through during before after above below up down out off over under again then once here
    there both each few nor because until while against between new old first last long great
    little people time year years day way man woman world life
  `),
  de: words(`
    der die das den dem des ein eine einer eines einem einen und oder aber nicht kein keine ist
    sind war waren wird werden wurde wurden hat haben hatte hatten sein ich du er sie es wir ihr
    mich dich sich uns euch mit von zu zum zur bei nach aus auf für über unter vor hinter neben
    zwischen durch gegen ohne um auch noch schon nur sehr wie wenn dass weil als ob so dann doch
    hier dort heute immer wieder mehr alle viele jahr jahre zeit mann frau
  `),
  es: words(`
    el la los las un una unos unas y o pero de del al en con por para sin sobre entre hasta desde
    que quien cual cuando donde como es son era eran fue fueron ser estar está están ha han había
    hay se lo le les me te nos su sus mi mis tu yo él ella ellos ellas nosotros usted muy más menos
    también ya no sí este esta estos estas ese esa eso aquel todo todos toda todas otro otra año
    años vez veces tiempo hombre mujer ciudad parte después antes siempre nunca
  `),
  it: words(`
    il lo la i gli le un uno una di da del della dei degli delle al alla ai agli alle dal dalla nel
    nella nei sul sulla e ed o ma che chi cui non è sono era erano fu essere avere ha hanno aveva
    si ci vi mi ti ne io tu lui lei noi voi loro suo sua suoi sue mio mia con per tra fra su anche
    come quando dove perché più molto poco tutto tutti questa questo quello quella già ancora anni
    anno tempo uomo donna città dopo prima sempre
  `),
  pt: words(`
    o a os as um uma uns umas e ou mas de do da dos das no na nos nas em ao aos à às pelo pela com
    por para sem sobre entre que quem qual quando onde como é são era eram foi foram ser estar está
    estão tem têm há se lhe me te seu sua seus suas meu minha eu ele ela eles elas nós você muito
    mais menos também já não sim este esta isso isto aquele todo todos outro outra ano anos vez
  `),
  ca: words(`
    el la els les l' un una uns unes i o però de d' del dels al als en amb per sense sobre entre
    fins des que qui quan on com és són era eren va van ser estar està estan ha han havia hi ho
    es se li els em et ens us seu seva seus seves meu meva jo ell ella ells elles nosaltres molt
    més menys també ja no sí aquest aquesta aquests aquestes aquell aquella tot tots tota totes
    altre altra any anys vegada temps home dona ciutat després abans sempre mai perquè doncs
  `),
  oc: words(`
    lo la los las l' un una uns unas e o mas de d' del dels al als en amb per sens sus entre fins
    que qui quand ont coma es son èra èran foguèt èsser èstre aver a an aviá i se li lor me te nos
    vos son sa sos sas mon ma ieu el ela eles elas nosautres fòrça mai tanben ja pas non òc aqueste
    aquesta aquel aquela aquò tot totes tota totas autre autra an ans còp temps òme femna vila
    après abans totjorn jamai perqué doncas dins sobre pròche es una sus
  `),
  la: words(`
    et in est sunt non ad cum de ex ab per pro sed aut vel nec neque atque ac quod quia ut ne si
    nisi qui quae quod cuius cui quem quam quibus hic haec hoc ille illa illud is ea id ipse se
    sibi suus sua suum esse erat erant fuit fuerunt enim autem etiam tamen igitur ergo iam nunc
    tum tunc sic ita inter post ante sub super apud contra omnis omnia omnes magnus rex deus
    dominus populus res annus anno
  `),
  wa: words(`
    dji dj' ji vos nos i ele on nén nen pont ene èn on des do dè å ås li lès les èt et so sor po pol
    avou å-d' so d'vant après c' cial la-minme todi co pus bråmint bén bin måjhon ome feme efant
    djoû djou esse ont a fwait dit sait vint vey est c'est n' pont nouk tot tos totes ci ça
    ossu minme tchaeke wice cwand poqwè paski
  `),
  br: words(`
    ar an al ur un ul hag ha ez e eo emañ zo oa bet bezañ en em da d' war gant evit dindan eus
    met pe pa mar ne ket na me te eñ hi ni c'hwi int va da e hec'h hon ho o hor he
    brezhoneg breizh kêr bro ti den tud deiz bloaz bloavezh amzer mat bras bihan nevez kozh
    holl pep bep unan daou tri pevar pemp
  `),
  nl: words(`
    de het een en of maar van in op te aan met voor door over bij naar uit om tot niet geen is zijn
    was waren wordt worden werd heeft hebben had ik jij hij zij wij jullie ze mij hem haar ons dit
    dat deze die wat wie waar hoe ook nog al wel er heel meer veel jaar tijd
  `),
};

/** Languages whose words, had they no lexicon, would all count as unknown. */
export const LEXICON_LANGUAGES = Object.keys(LEXICONS);

/** For each word, the languages that list it. */
export const WORD_LANGUAGES: ReadonlyMap<string, readonly string[]> = (() => {
  const index = new Map<string, string[]>();
  for (const [lang, list] of Object.entries(LEXICONS)) {
    for (const w of list) {
      const langs = index.get(w) ?? [];
      if (!langs.includes(lang)) langs.push(lang);
      index.set(w, langs);
    }
  }
  return index;
})();

/**
 * Letters and endings that French words have and its Romance and Germanic neighbours rarely do:
 * weak evidence for a word no lexicon knows.
 */
export const FRENCH_WORD_SHAPE = /(?:eaux?|eux|euse|aux|oir|oire|ement|ées?|ière|ières|ais|ait|aient|ions|iez|ique|ques|ène|ète|ême|ôt|ître|eil|eils|ueil|oy|és|ès|œ|ç[aou]|[êîû])/;
