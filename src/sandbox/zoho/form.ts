/**
 * Form parameters of Zoho Accounts' token endpoint: Zoho's docs put them in the query string,
 * most clients send `application/x-www-form-urlencoded`, and Zoho's own SDKs send
 * `multipart/form-data`. Zoho Accounts takes all three, so the simulator does too.
 */

/** Query parameters first, then the body's fields (a body field wins over the same query key). */
export function tokenParams(query: URLSearchParams, contentType: string, raw: string): URLSearchParams {
  const params = new URLSearchParams(query);
  const body = /multipart\/form-data/i.test(contentType)
    ? multipartFields(contentType, raw)
    : new URLSearchParams(raw);
  for (const [k, v] of body) params.set(k, v);
  return params;
}

/**
 * The text fields of a multipart/form-data body (RFC 7578). A body that does not parse yields
 * no fields, so the grant answers `invalid_request` as Zoho does for missing parameters.
 */
export function multipartFields(contentType: string, raw: string): URLSearchParams {
  const out = new URLSearchParams();
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return out;
  for (const part of raw.split(`--${boundary}`).slice(1)) {
    if (part.startsWith('--')) break; // the closing delimiter
    const sep = part.indexOf('\r\n\r\n');
    if (sep < 0) continue;
    const headers = part.slice(0, sep);
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) continue;
    // The part's value runs up to the CRLF that precedes the next delimiter.
    out.append(name, part.slice(sep + 4).replace(/\r\n$/, ''));
  }
  return out;
}
