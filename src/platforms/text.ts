/**
 * Small text helpers: HTML to plain text (Mastodon content, Hacker News text) and hashtags.
 * @internal
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntity(entity: string, body: string): string {
  if (body.startsWith('#x') || body.startsWith('#X'))
    return fromCodePoint(parseInt(body.slice(2), 16), entity);
  if (body.startsWith('#')) return fromCodePoint(parseInt(body.slice(1), 10), entity);

  return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
}

function fromCodePoint(code: number, original: string): string {
  // Out-of-range references would throw in String.fromCodePoint; keep them as written.
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff
    ? String.fromCodePoint(code)
    : original;
}

/**
 * Turns an HTML fragment into plain text: paragraphs and `<br>` become line breaks, other tags
 * go, entities are decoded once (so `&amp;lt;` stays the literal text `&lt;`). Never executes or
 * keeps markup, so the result is safe to show in a terminal.
 */
export function htmlToText(html: string): string {
  const withBreaks = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p\s*>\s*<p[^>]*>/gi, '\n\n')
    .replace(/<p[^>]*>/gi, '\n\n');
  const withoutTags = withBreaks.replace(/<[^>]*>/g, '');
  const decoded = withoutTags.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) =>
    decodeEntity(entity, body),
  );

  return decoded
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** `#word` hashtags in plain text, lower-cased, without `#`; `#1` alone is not a tag. */
export function hashtagsInText(text: string): string[] {
  const tags: string[] = [];
  for (const match of text.matchAll(
    /(?:^|[^\p{L}\p{N}_&/#])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu,
  )) {
    if (match[1] !== undefined) tags.push(match[1]);
  }

  return uniqueTags(tags);
}

/** Lower-cases, strips a leading `#` and removes duplicates, keeping first-seen order. */
export function uniqueTags(tags: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const tag of tags) {
    const clean = tag.replace(/^#/, '').toLowerCase();
    if (clean !== '') seen.add(clean);
  }

  return [...seen];
}
