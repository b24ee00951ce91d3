/** Redis URLs for people: the secret parts masked. Free of ioredis, so it loads for nothing. */

/** The URL with its password (and a user name that may be a token) masked, for logs and reports. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    else if (parsed.username !== '') parsed.username = '***';
    return parsed.toString();
  } catch {
    // Not a URL at all: say nothing of it rather than risk echoing a secret.
    return 'redis://(unparsable url)';
  }
}
