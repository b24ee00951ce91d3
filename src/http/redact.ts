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

  // Not `origin`: it is "null" for schemes such as redis: and postgres:.
  const hash = parsed.hash;
  parsed.search = '';
  parsed.hash = '';

  return `${parsed.toString()}?${search}${hash}`;
}

/** Query keys that hold secrets in database URLs (libpq reads `?password=`), besides the above. */
const URL_SECRET_KEYS: readonly string[] = [...SECRET_QUERY_KEYS, 'password', 'sslpassword'];

/**
 * A `JSON.stringify` replacer that passes every string holding a URL (`scheme://...`) through
 * `redactUrl`, masking `?password=` too: for config and other documents that are stored.
 *
 * @example
 * store.startRun(runId, startedAt, JSON.stringify(config, redactUrlsReplacer));
 */
export function redactUrlsReplacer(_key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !value.includes('://')) return value;

  return redactUrl(value, '***', URL_SECRET_KEYS);
}
