export type TargetCheck = { allowed: true; url: URL } | { allowed: false; message: string };

/**
 * The base URLs the cloud registered for this agent, and the one question asked of them: may
 * this URL be forwarded? A URL is allowed when it has the scheme, host and port of a base and
 * its path lies under the base's path at a segment boundary (`/api` allows `/api/x`, never
 * `/apix`). URLs are compared after WHATWG parsing, which resolves `.` and `..` (also when
 * percent-encoded); encoded slashes and backslashes are refused, since a server behind may decode
 * them into segments that leave the base. Credentials in a URL are refused.
 */
export class TargetAllowList {
  readonly bases: readonly URL[];

  private constructor(bases: URL[]) {
    this.bases = bases;
  }

  static empty(): TargetAllowList {
    return new TargetAllowList([]);
  }

  /** Parses the bases; those that are not plain http(s) URLs are returned as `rejected`. */
  static parse(baseUrls: readonly string[]): { list: TargetAllowList; rejected: string[] } {
    const bases: URL[] = [];
    const rejected: string[] = [];
    for (const text of baseUrls) {
      const base = URL.canParse(text) ? new URL(text) : undefined;
      if (!base || problemWith(base) !== undefined || base.search !== '' || base.hash !== '') {
        rejected.push(text);
        continue;
      }
      bases.push(base);
    }
    return { list: new TargetAllowList(bases), rejected };
  }

  check(urlText: string): TargetCheck {
    if (!URL.canParse(urlText)) {
      return { allowed: false, message: `"${urlText.slice(0, 200)}" is not an absolute URL` };
    }
    const url = new URL(urlText);
    const problem = problemWith(url);
    if (problem !== undefined) return { allowed: false, message: problem };
    if (this.bases.some((base) => isUnder(url, base))) return { allowed: true, url };
    const allowed = this.bases.length
      ? this.bases.map((base) => base.href).join(', ')
      : 'none (the cloud has registered no targets for this agent)';
    return {
      allowed: false,
      message:
        `target not allowed: ${url.origin}${url.pathname} is not under a base URL registered ` +
        `for this agent; allowed: ${allowed}`,
    };
  }
}

function problemWith(url: URL): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `target not allowed: scheme ${url.protocol} (only http: and https: are forwarded)`;
  }
  if (url.username !== '' || url.password !== '') {
    return `target not allowed: ${url.origin} carries credentials in the URL; send them in headers`;
  }
  if (/%2f|%5c/i.test(url.pathname)) {
    const where = `${url.origin}${url.pathname}`;
    return `target not allowed: ${where} has an encoded "/" or "\\" in its path`;
  }
  return undefined;
}

function isUnder(url: URL, base: URL): boolean {
  if (url.protocol !== base.protocol || url.host !== base.host) return false;
  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return url.pathname === basePath.slice(0, -1) || url.pathname.startsWith(basePath);
}
