import * as cheerio from 'cheerio';

const DROP = 'script, style, noscript, template, svg, iframe, nav, header, footer, aside, form, button, select';
const BLOCKS = new Set([
  'p', 'div', 'section', 'article', 'main', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'blockquote', 'pre', 'table', 'tr', 'br', 'hr', 'figcaption', 'address', 'body',
]);

export interface ExtractedPage {
  text: string;
  title: string | null;
  lang: string | null;
}

/**
 * Plain text of an HTML page: scripts and obvious chrome (nav, header, footer, aside, forms) removed,
 * one line per block element. Deliberately simple; main-content extraction is its own module.
 */
export function htmlToText(html: string): ExtractedPage {
  const $ = cheerio.load(html);
  const title = $('title').first().text().trim() || $('h1').first().text().trim() || null;
  const lang = $('html').attr('lang')?.trim() || null;
  $(DROP).remove();
  const root = $('main').first().length ? $('main').first() : $('body').length ? $('body') : $.root();
  const lines: string[] = [];
  let line = '';
  const flush = () => {
    const t = line.replace(/\s+/g, ' ').trim();
    if (t) lines.push(t);
    line = '';
  };
  const walk = (parent: Parameters<typeof $>[0]) => {
    $(parent).contents().each((_, node) => {
      if (node.type === 'text') line += node.data;
      else if (node.type === 'tag') {
        const block = BLOCKS.has(node.name);
        if (block) flush();
        walk(node);
        if (block) flush();
      }
    });
  };
  walk(root);
  flush();
  return { text: lines.join('\n'), title, lang };
}
