/** Peak resident set size of this process so far, bytes (`ru_maxrss`, which Node gives in KiB). */
export function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}
