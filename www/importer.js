// Files the reader opens or drops: plain text, Markdown and HTML, each turned into article text.
// HTML is parsed by DOMParser into an inert document (no script runs, nothing is fetched), then
// read as text: scripts, styles and page furniture dropped, block elements → paragraphs, entities
// decoded by the parser. Nothing from the file ever becomes part of the page's own DOM.

const KINDS = [
  { kind: 'html', ext: /\.(html?|xhtml)$/i, types: ['text/html', 'application/xhtml+xml'] },
  { kind: 'markdown', ext: /\.(md|markdown)$/i, types: ['text/markdown', 'text/x-markdown'] },
  { kind: 'text', ext: /\.txt$/i, types: ['text/plain'] },
];

export const ACCEPT = '.txt,.md,.markdown,.html,.htm,text/plain,text/markdown,text/html';

/** 'html' | 'markdown' | 'text' by the file's name, else by its type; null for anything else. */
export function kindOf(file) {
  const byName = KINDS.find((k) => k.ext.test(file.name ?? ''));
  if (byName) return byName.kind;
  if (/\.[a-z0-9]{1,8}$/i.test(file.name ?? '')) return null; // another extension: refused, whatever the type says
  const type = (file.type ?? '').split(';')[0].trim().toLowerCase();
  return KINDS.find((k) => k.types.includes(type))?.kind ?? null;
}

/** The article text of a file; throws an Error with a reader-facing message when refused. */
export async function readArticle(file) {
  const kind = kindOf(file);
  if (!kind) throw new Error(`“${file.name}” cannot be opened: pressmark reads .txt, .md and .html files. Open one of those, or paste the text.`);
  const raw = await file.text();
  if (kind === 'html') return htmlToText(raw);
  if (kind === 'markdown') return markdownToText(raw);
  return raw;
}

// Never text: code, styles, embedded objects, forms, and page furniture around the article.
const DROP = 'script, style, noscript, template, iframe, object, embed, svg, math, canvas, video, audio, '
  + 'form, button, select, textarea, input, nav, aside, footer, header:not(article header), [hidden], [aria-hidden="true"]';
const BLOCK = new Set(['ADDRESS', 'ARTICLE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION', 'FIGURE', 'H1', 'H2', 'H3',
  'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'OL', 'P', 'PRE', 'SECTION', 'TABLE', 'TR', 'UL', 'CAPTION', 'TD', 'TH', 'BODY']);

/**
 * The readable text of an HTML document: its <article> (else <main>, else <body>), one paragraph
 * per block element, spaces collapsed as a browser would, the <title> first when the article has
 * no heading of its own.
 * @param {string} html
 * @returns {string}
 */
export function htmlToText(html) {
  const doc = new DOMParser().parseFromString(defuseStyles(html), 'text/html');
  for (const el of doc.querySelectorAll(DROP)) el.remove();
  const root = doc.querySelector('article') ?? doc.querySelector('main') ?? doc.body;
  if (!root) return '';
  const paragraphs = [];
  let line = '';
  const flush = () => {
    const t = line.replace(/[ \t\f\r\n\u00a0]+/g, ' ').trim();
    if (t) paragraphs.push(t);
    line = '';
  };
  const walk = (node, pre) => {
    for (let n = node.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3) {
        line += pre ? n.data.replace(/\n/g, '\u2028') : n.data; // a <pre>'s line breaks survive the collapse
      } else if (n.nodeType === 1) {
        if (n.tagName === 'BR') { line += '\u2028'; continue; }
        const block = BLOCK.has(n.tagName);
        if (block) flush();
        walk(n, pre || n.tagName === 'PRE');
        if (block) flush();
      }
    }
  };
  walk(root, false);
  flush();
  const title = doc.title.replace(/\s+/g, ' ').trim();
  if (title && !root.querySelector('h1, h2') && paragraphs[0] !== title) paragraphs.unshift(title);
  return paragraphs.map((p) => p.replace(/ ?\u2028 ?/g, '\n')).join('\n\n') + (paragraphs.length ? '\n' : '');
}

/**
 * The parsed document is inert, but Chromium still checks its style sheets and style attributes
 * against the page's CSP and logs each refusal as an error. Style never becomes text, so it is
 * turned into something the parser keeps apart unapplied (a <template>, a data- attribute) first.
 */
function defuseStyles(html) {
  return html
    .replace(/<(\/?)style\b/gi, '<$1template')
    .replace(/(<[a-z][^<>]*?\s)style(\s*=)/gi, '$1data-style$2');
}

/** Markdown as the words a reader sees: heading marks, emphasis, links' addresses and images dropped. */
export function markdownToText(md) {
  return md
    .replace(/^ {0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$/gm, '$1')
    .replace(/^ {0,3}>[ \t]?/gm, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(?=\S)([^*_]*?\S)\1/g, '$2')
    .replace(/^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/gm, '');
}
