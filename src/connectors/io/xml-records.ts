import { SaxesParser, type SaxesTagNS } from 'saxes';
import { TextDecoder } from 'node:util';

/**
 * Streaming XML → small element trees, one per record (an OAI `<record>`, a sitemap `<url>`, a feed
 * `<item>`), so that a 2 GB export never sits in memory. Parsing is saxes'; what this adds is the
 * safety every connector needs on hostile input:
 * - a DOCTYPE that declares entities is refused (billion laughs, external entities): saxes never
 *   expands them, but refusing up front gives one clear reason instead of a cascade of errors;
 * - limits on the size of a record, the depth of nesting and the size of the whole document.
 */

export interface XmlElement {
  /** Local name, without prefix: `dc:title` → `title`. */
  name: string;
  /** Namespace URI ('' when none). */
  uri: string;
  /** Attributes by qualified name (`xml:lang`, `status`). */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Text and child elements in document order. */
  nodes: (string | XmlElement)[];
}

export type XmlRefusalReason = 'entity_declaration' | 'malformed' | 'record_too_large' | 'too_deep' | 'document_too_large' | 'bad_encoding';

export class XmlRefusal extends Error {
  constructor(
    readonly reason: XmlRefusalReason,
    message: string,
  ) {
    super(message);
    this.name = 'XmlRefusal';
  }
}

export interface XmlLimits {
  /** Characters of text and attributes in one captured record. */
  maxRecordChars: number;
  maxDepth: number;
  /** Characters in the whole document. */
  maxDocumentChars: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxRecordChars: 16 * 1024 * 1024, maxDepth: 256, maxDocumentChars: 4 * 1024 * 1024 * 1024 };

export interface RootInfo {
  name: string;
  uri: string;
  attrs: Record<string, string>;
}

/** Decides which elements are records: given the element's local name, its namespace and its depth (root = 0). */
export type Capture = (name: string, uri: string, depth: number) => boolean;

function encodingOf(head: Uint8Array): string {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const decl = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(new TextDecoder('latin1').decode(head.subarray(0, 200)));
  return decl ? decl[1]!.toLowerCase() : 'utf-8';
}

export class XmlRecordReader {
  /** The document element, known once its start tag is read. */
  root: RootInfo | null = null;

  constructor(
    private readonly capture: Capture,
    private readonly limits: XmlLimits = DEFAULT_XML_LIMITS,
  ) {}

  async *records(chunks: AsyncIterable<Uint8Array | string>): AsyncIterable<XmlElement> {
    const limits = this.limits;
    const parser = new SaxesParser({ xmlns: true, position: true });
    const ready: XmlElement[] = [];
    const stack: XmlElement[] = [];
    let depth = 0;
    let recordDepth = -1;
    let recordChars = 0;
    let documentChars = 0;
    let failure: XmlRefusal | null = null;
    const fail = (r: XmlRefusal) => {
      failure ??= r;
    };
    const count = (n: number) => {
      if (recordDepth < 0) return;
      recordChars += n;
      if (recordChars > limits.maxRecordChars) fail(new XmlRefusal('record_too_large', `record over ${limits.maxRecordChars} characters`));
    };

    parser.on('error', (e) => fail(new XmlRefusal('malformed', e.message)));
    parser.on('doctype', (d) => {
      if (/<!ENTITY/i.test(d)) fail(new XmlRefusal('entity_declaration', 'DOCTYPE declares entities (refused: entity expansion and external entities)'));
    });
    parser.on('opentag', (tag: SaxesTagNS) => {
      const attrs: Record<string, string> = {};
      for (const [qname, a] of Object.entries(tag.attributes)) {
        if (qname === 'xmlns' || qname.startsWith('xmlns:')) continue;
        attrs[qname] = a.value;
      }
      if (depth === 0) this.root = { name: tag.local, uri: tag.uri, attrs };
      depth++;
      if (depth > limits.maxDepth) fail(new XmlRefusal('too_deep', `elements nested deeper than ${limits.maxDepth}`));
      if (recordDepth < 0 && this.capture(tag.local, tag.uri, depth - 1)) {
        recordDepth = depth;
        recordChars = 0;
      }
      if (recordDepth < 0) return;
      const el: XmlElement = { name: tag.local, uri: tag.uri, attrs, children: [], nodes: [] };
      count(tag.name.length + Object.values(attrs).reduce((n, v) => n + v.length, 0));
      const parent = stack[stack.length - 1];
      if (parent) {
        parent.children.push(el);
        parent.nodes.push(el);
      }
      stack.push(el);
    });
    const onText = (t: string) => {
      const top = stack[stack.length - 1];
      if (!top) return;
      count(t.length);
      top.nodes.push(t);
    };
    parser.on('text', onText);
    parser.on('cdata', onText);
    parser.on('closetag', () => {
      if (recordDepth >= 0) {
        const el = stack.pop()!;
        if (depth === recordDepth) {
          recordDepth = -1;
          // Nothing parsed after a refusal is trusted.
          if (!failure) ready.push(el);
        }
      }
      depth--;
    });

    let decoder: TextDecoder | null = null;
    const feed = (text: string) => {
      documentChars += text.length;
      if (documentChars > limits.maxDocumentChars) fail(new XmlRefusal('document_too_large', `document over ${limits.maxDocumentChars} characters`));
      else if (!failure) parser.write(text);
    };
    for await (const chunk of chunks) {
      if (typeof chunk === 'string') feed(chunk);
      else {
        if (!decoder) {
          const label = encodingOf(chunk);
          try {
            decoder = new TextDecoder(label, { fatal: true });
          } catch {
            throw new XmlRefusal('bad_encoding', `unsupported encoding "${label}"`);
          }
        }
        try {
          feed(decoder.decode(chunk, { stream: true }));
        } catch (e) {
          if (e instanceof XmlRefusal) throw e;
          fail(new XmlRefusal('bad_encoding', `bytes invalid in ${decoder.encoding}`));
        }
      }
      // Records complete before a failure are good: hand them out, then report the failure.
      while (ready.length) yield ready.shift()!;
      if (failure) throw failure;
    }
    try {
      if (decoder) feed(decoder.decode());
      if (!failure) parser.close();
    } catch (e) {
      if (e instanceof XmlRefusal) throw e;
      fail(new XmlRefusal('bad_encoding', `bytes invalid in ${decoder?.encoding}`));
    }
    while (ready.length) yield ready.shift()!;
    if (failure) throw failure;
    if (!this.root) throw new XmlRefusal('malformed', 'no root element');
  }
}

export function children(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** All text below an element, in order, with runs of white space made one space. */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return '';
  const parts: string[] = [];
  const walk = (e: XmlElement) => {
    for (const n of e.nodes) typeof n === 'string' ? parts.push(n) : walk(n);
  };
  walk(el);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

export function childText(el: XmlElement, name: string): string {
  return textOf(child(el, name));
}

export function childTexts(el: XmlElement, name: string): string[] {
  return children(el, name)
    .map((c) => textOf(c))
    .filter((t) => t !== '');
}

/** Parses a whole small document (an OAI Identify, an error page) capturing its root. */
export async function parseXmlDocument(chunks: AsyncIterable<Uint8Array | string>, limits?: XmlLimits): Promise<XmlElement> {
  const reader = new XmlRecordReader((_n, _u, depth) => depth === 0, limits);
  let root: XmlElement | undefined;
  for await (const el of reader.records(chunks)) root = el;
  if (!root) throw new XmlRefusal('malformed', 'no root element');
  return root;
}
