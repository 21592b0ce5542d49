import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

/**
 * Main-text extraction. The page is cleaned of what is never content (scripts, forms controls, hidden
 * elements, navigation landmarks, boilerplate by class/id), then each container is scored by the
 * paragraphs it holds (their length and commas, discounted by link density, as Readability does);
 * the best container and its sibling blocks that score alike are kept, and inside them blocks that
 * are mostly links (related lists, tag clouds) or boilerplate are dropped. Each paragraph, heading,
 * list item and table row comes out on its own line.
 */

const NEVER_CONTENT = 'script, style, noscript, template, svg, canvas, iframe, object, embed, button, select, input, textarea, link, meta, dialog';
const LANDMARKS = 'nav, aside, [role="navigation"], [role="banner"], [role="contentinfo"], [role="complementary"], [role="search"], [role="dialog"], [role="alertdialog"]';
/** Class/id words that mark boilerplate whatever its size. */
const STRONG_BOILERPLATE = /(^|[-_\s])(comments?|commentaires?|respond|replies|share|sharing|partage|social|related|recommend(ed|ations)?|recirc|more-from|read-more|newsletter|subscribe|abonnement|cookies?|consent|gdpr|rgpd|breadcrumbs?|fil-ariane|ariane|sidebar|outbrain|taboola|disqus|popup|modal|overlay|footer|pied-de-page)([-_\s]|$)/i;
/** Words that mark boilerplate only when the element is short or mostly links. */
const WEAK_BOILERPLATE = /(^|[-_\s])(banner|bandeau|pagination|pager|menu|navbar|nav|widget|sponsor(ed)?|promo|advert|ads?|pub|publicite|masthead|header|entete|skip|toolbar|author-bio|tags?|tag-list|keywords|print|community|legal|mentions)([-_\s]|$)/i;
const KEEP = /(^|[-_\s])(article|content|contenu|main|post|entry|story|body|text|texte|page-content|prose|markdown|documentation|doc-content)([-_\s]|$)/i;
const POSITIVE = /article|body|content|contenu|entry|main|page|post|text|texte|blog|story|prose|markdown/i;
const NEGATIVE = /comment|meta|footer|footnote|masthead|media|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget|promo|menu|nav|banner|cookie|newsletter/i;
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer',
  'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table',
  'tbody', 'td', 'th', 'thead', 'tfoot', 'tr', 'ul', 'caption', 'br', 'center',
]);
const PARAGRAPHS = new Set(['p', 'pre', 'td', 'blockquote', 'dd', 'li']);

interface Counts {
  text: number;
  links: number;
  commas: number;
}

export interface MainText {
  text: string;
  /** Lines of the main text, each a paragraph, heading, list item or table row. */
  lines: string[];
}

const isElement = (n: AnyNode): n is Element => n.type === 'tag' || n.type === 'script' || n.type === 'style';

function classAndId(el: Element): string {
  return `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`;
}

function hidden(el: Element): boolean {
  const a = el.attribs;
  if ('hidden' in a || a['aria-hidden'] === 'true') return true;
  const style = a.style?.replace(/\s+/g, '').toLowerCase() ?? '';
  return style.includes('display:none') || style.includes('visibility:hidden');
}

export function extractMainText(htmlOrDoc: string | cheerio.CheerioAPI): MainText {
  const $ = typeof htmlOrDoc === 'string' ? cheerio.load(htmlOrDoc) : htmlOrDoc;
  $(NEVER_CONTENT).remove();
  $(LANDMARKS).remove();
  const body = ($('body')[0] ?? $.root()[0]) as Element;

  // One pass bottom-up: text length, link text length and commas of every element.
  const counts = new Map<AnyNode, Counts>();
  const count = (n: AnyNode, inLink: boolean): Counts => {
    if (n.type === 'text') {
      const t = (n as unknown as { data: string }).data;
      const len = t.replace(/\s+/g, ' ').trim().length;
      return { text: len, links: inLink ? len : 0, commas: (t.match(/[,，、]/g) ?? []).length };
    }
    if (!isElement(n)) return { text: 0, links: 0, commas: 0 };
    const c: Counts = { text: 0, links: 0, commas: 0 };
    const link = inLink || n.name === 'a';
    for (const child of n.children) {
      const cc = count(child, link);
      c.text += cc.text;
      c.links += cc.links;
      c.commas += cc.commas;
    }
    counts.set(n, c);
    return c;
  };
  count(body, false);
  const linkDensity = (el: Element) => {
    const c = counts.get(el);
    return c && c.text ? c.links / c.text : 0;
  };

  // Remove boilerplate by class/id and hidden elements, top-down, never the body, a main/article
  // or anything holding one: a page wrapper with "sidebar" in its classes still holds the article.
  const pageText = counts.get(body)?.text ?? 0;
  const prune = (el: Element) => {
    for (const child of [...el.children]) {
      if (!isElement(child)) continue;
      const name = child.name;
      const sig = classAndId(child);
      const structural = name === 'main' || name === 'article' || name === 'body' || name === 'html';
      const c = counts.get(child);
      const holdsArticle = () => $(child).find('article, main, [itemprop="articleBody"]').length > 0;
      let drop = hidden(child);
      if (!drop && !structural && sig.trim() && !KEEP.test(sig)) {
        if (STRONG_BOILERPLATE.test(sig)) drop = (!c || c.text < pageText * 0.6) && !holdsArticle();
        else if (WEAK_BOILERPLATE.test(sig)) drop = (!c || c.text < 200 || linkDensity(child) > 0.35) && !holdsArticle();
      }
      if (!drop && (name === 'header' || name === 'footer') && !$(child).closest('article, main').length) {
        // A page header or footer outside the article is site chrome. Inside the article the header
        // holds its title and is kept; the footer holds tags and share links and goes.
        drop = !holdsArticle();
      }
      if (!drop && name === 'footer') drop = true;
      if (drop) {
        $(child).remove();
        continue;
      }
      prune(child);
    }
  };
  prune(body);
  counts.clear();
  count(body, false);

  // Paragraph scores flow up to their ancestors (full, half, third), as in Readability.
  const scores = new Map<Element, number>();
  const initial = (el: Element): number => {
    let s = 0;
    if (el.name === 'div' || el.name === 'article' || el.name === 'main' || el.name === 'section') s += 5;
    else if (['pre', 'td', 'blockquote'].includes(el.name)) s += 3;
    else if (['ol', 'ul', 'dl', 'dd', 'dt', 'li', 'form', 'address'].includes(el.name)) s -= 3;
    else if (/^h[1-6]$/.test(el.name) || el.name === 'th') s -= 5;
    const sig = classAndId(el);
    if (NEGATIVE.test(sig)) s -= 25;
    if (POSITIVE.test(sig)) s += 25;
    if (el.name === 'article' || el.name === 'main') s += 15;
    return s;
  };
  // Text held directly (text nodes and inline elements) by a node: a div of bare text with <br>s
  // (or empty spacer divs) between its sentences is a paragraph as much as a <p> is.
  const inlineCounts = (el: Element): Counts => {
    const c: Counts = { text: 0, links: 0, commas: 0 };
    for (const child of el.children) {
      if (child.type === 'text') {
        const t = (child as unknown as { data: string }).data;
        c.text += t.replace(/\s+/g, ' ').trim().length;
        c.commas += (t.match(/[,，、]/g) ?? []).length;
      } else if (isElement(child) && !BLOCKS.has(child.name)) {
        const cc = counts.get(child);
        if (cc) {
          c.text += cc.text;
          c.links += cc.links;
          c.commas += cc.commas;
        }
      }
    }
    return c;
  };
  const credit = (el: Element, c: Counts, fromSelf: boolean) => {
    if (c.text < 25 || c.links / c.text > 0.5) return;
    const score = 1 + c.commas + Math.min(Math.floor(c.text / 100), 3);
    let ancestor = (fromSelf ? el : el.parent) as Element | null;
    for (let level = 0; level < 3 && ancestor && ancestor.type === 'tag'; level++) {
      if (!scores.has(ancestor)) scores.set(ancestor, initial(ancestor));
      scores.set(ancestor, scores.get(ancestor)! + score / (level === 0 ? 1 : level === 1 ? 2 : level * 3));
      ancestor = ancestor.parent as Element | null;
    }
  };
  $('p, pre, td, blockquote, div, li, dd, section, article').each((_, node) => {
    const el = node as Element;
    if (PARAGRAPHS.has(el.name)) {
      if (el.name === 'li' && $(el).find('p').length) return;
      const c = counts.get(el);
      if (c) credit(el, c, false);
    } else credit(el, inlineCounts(el), true);
  });
  let top: Element | null = null;
  let topScore = -Infinity;
  for (const [el, s] of scores) {
    const final = s * (1 - linkDensity(el));
    scores.set(el, final);
    if (final > topScore) {
      top = el;
      topScore = final;
    }
  }
  if (!top) top = body;
  // schema.org microdata naming the article body is the publisher's own answer; take it when it
  // holds real text.
  const declared = $('[itemprop="articleBody"]').toArray() as Element[];
  if (declared.length === 1 && (counts.get(declared[0]!)?.text ?? 0) > 200 && linkDensity(declared[0]!) < 0.3) {
    top = declared[0]!;
    topScore = Math.max(topScore, scores.get(top) ?? 0);
  }
  // A top candidate alone in its parent: the parent is the same content with its title.
  while (top.parent && top.parent.type === 'tag' && top.parent !== body && (top.parent as Element).children.filter(isElement).length === 1) {
    top = top.parent as Element;
  }
  // Climb while an ancestor holds much more good text: the article is split across containers.
  for (let p = top.parent as Element | null; p && p.type === 'tag' && p !== body; p = p.parent as Element | null) {
    const ps = scores.get(p);
    if (ps !== undefined && ps >= topScore * 0.75 && linkDensity(p) < 0.3) top = p;
  }

  const parts: Element[] = [];
  const parent = top.parent as Element | null;
  if (parent && parent.type === 'tag') {
    const threshold = Math.max(10, topScore * 0.2);
    for (const sib of parent.children) {
      if (!isElement(sib)) continue;
      if (sib === top) {
        parts.push(sib);
        continue;
      }
      const s = scores.get(sib);
      const c = counts.get(sib);
      if (s !== undefined && s >= threshold) parts.push(sib);
      else if (sib.name === 'p' && c && c.text > 80 && linkDensity(sib) < 0.25) parts.push(sib);
    }
    // A heading belongs with the content it introduces: keep sibling headings followed by kept blocks.
    const siblings = parent.children.filter(isElement);
    for (const [i, sib] of siblings.entries()) {
      if (!/^h[1-6]$/.test(sib.name) || parts.includes(sib)) continue;
      const next = siblings.slice(i + 1).find((x) => !/^h[1-6]$/.test(x.name));
      if (next && parts.includes(next)) parts.push(sib);
    }
    parts.sort((a, b) => siblings.indexOf(a) - siblings.indexOf(b));
  } else parts.push(top);

  const lines: string[] = [];
  let line = '';
  const flush = () => {
    const t = line.replace(/\s+/g, ' ').trim();
    if (t) lines.push(t);
    line = '';
  };
  const walk = (n: AnyNode) => {
    if (n.type === 'text') {
      line += (n as unknown as { data: string }).data;
      return;
    }
    if (!isElement(n)) return;
    const name = n.name;
    if (name === 'br') return void (line += '\n');
    const block = BLOCKS.has(name);
    if (block && name !== 'body' && n !== top && !parts.includes(n)) {
      const c = counts.get(n);
      // Blocks that are mostly links inside the content: related articles, tag lists, share bars.
      if (c && c.text > 0 && linkDensity(n) > 0.5 && !/^h[1-6]$/.test(name) && name !== 'li' && name !== 'p') return;
      if (name === 'li' && c && linkDensity(n) > 0.8 && $(n).parent().children('li').toArray().every((li) => linkDensity(li as Element) > 0.8) && $(n).parent().children('li').length > 2) return;
      if (name === 'figure' || name === 'figcaption') return;
    }
    if (block) flush();
    if (name === 'pre') {
      flush();
      for (const l of $(n).text().split('\n')) if (l.trim()) lines.push(l.replace(/\s+$/, ''));
      return;
    }
    for (const child of n.children) walk(child);
    if (name === 'td' || name === 'th') line += ' ';
    else if (block) flush();
  };
  for (const part of parts) walk(part);
  flush();
  const out = lines.flatMap((l) => l.split('\n').map((x) => x.replace(/\s+/g, ' ').trim()).filter(Boolean));
  return { text: out.join('\n'), lines: out };
}
