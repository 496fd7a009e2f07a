/**
 * The request target as the client sent it. Taken from the URL string rather
 * than rebuilt from parsed parts, so the origin gets the path and query
 * byte for byte (no decoding or re-encoding that could change meaning).
 */
export function pathAndQuery(url: string): string {
  const authority = url.indexOf("//");
  const slash = url.indexOf("/", authority === -1 ? 0 : authority + 2);
  if (slash === -1) return "/";
  const hash = url.indexOf("#", slash);
  return hash === -1 ? url.slice(slash) : url.slice(slash, hash);
}

/** Origin base (with its base path) + the client's path and query. */
export function upstreamUrl(originBase: string, requestUrl: string): string {
  return originBase + pathAndQuery(requestUrl);
}
