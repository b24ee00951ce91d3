/** Query keys whose values are secrets and never appear in messages or logs. */
export const SECRET_QUERY_KEYS: readonly string[] = [
  'key',
  'api_key',
  'token',
  'access_token',
  'refresh_token',
  'client_secret',
];

/**
 * The URL without user info and with the values of secret query keys replaced by `placeholder`.
 * Unparseable input comes back unchanged: it carries no query we could recognise.
 */
export function redactUrl(
  url: string,
  placeholder = '***',
  keys: readonly string[] = SECRET_QUERY_KEYS,
): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  parsed.username = '';
  parsed.password = '';

  const secret = new Set(keys.map((key) => key.toLowerCase()));
  const params = [...parsed.searchParams].map(
    ([name, value]) => [name, secret.has(name.toLowerCase()) ? placeholder : value] as const,
  );
  if (!params.some(([name]) => secret.has(name.toLowerCase()))) return parsed.toString();

  // Built by hand: the URL search setter would escape the placeholder (`%3CREDACTED%3E`).
  const search = params
    .map(([name, value]) =>
      value === placeholder
        ? `${encodeURIComponent(name)}=${placeholder}`
        : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
    )
    .join('&');

  return `${parsed.origin}${parsed.pathname}?${search}${parsed.hash}`;
}
