/**
 * RFC 8288 `Link` header parsing, enough for pagination: `<url>; rel="next", <url>; rel=prev`.
 * @internal
 */

/** One link: its target and its relation types (lower-cased; `rel` may list several). */
export interface WebLink {
  url: string;
  rels: string[];
}

/**
 * Parses a Link header. Commas inside `<...>` or quoted parameters do not split links; links
 * without a target are dropped; parameter names are case-insensitive.
 */
export function parseLinkHeader(header: string | undefined): WebLink[] {
  if (header === undefined || header === '') return [];
  const links: WebLink[] = [];
  const pattern = /<([^>]*)>((?:\s*;\s*[^;,=\s]+\s*(?:=\s*(?:"(?:[^"\\]|\\.)*"|[^;,]*))?)*)/g;

  for (const match of header.matchAll(pattern)) {
    const params = match[2] ?? '';
    const rels: string[] = [];
    for (const param of params.matchAll(
      /;\s*([^;,=\s]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^;,]*)))?/g,
    )) {
      if (param[1]?.toLowerCase() !== 'rel') continue;
      const value = (param[2] ?? param[3] ?? '').trim();
      rels.push(
        ...value
          .toLowerCase()
          .split(/\s+/)
          .filter((rel) => rel !== ''),
      );
    }
    links.push({ url: match[1] ?? '', rels });
  }

  return links.filter((link) => link.url !== '');
}

/** The target of the first link with relation `rel`, or null. */
export function findLink(header: string | undefined, rel: string): string | null {
  return parseLinkHeader(header).find((link) => link.rels.includes(rel))?.url ?? null;
}
