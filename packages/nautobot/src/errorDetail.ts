const maxDetailChars = 300;

/**
 * What Nautobot said in an error body, in one line: `detail` for 401/403/404/409,
 * `field: message` pairs for a 400 (a bulk request gets one object per item). Anything else
 * (an HTML page, a proxy's text) is clipped, since it is shown to people.
 */
export function errorDetail(text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const plain = text
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return plain === '' ? undefined : clip(plain);
  }
  if (isRecord(json) && typeof json.detail === 'string') return clip(json.detail);
  const parts = (Array.isArray(json) ? json : [json]).flatMap(fieldErrors);
  return parts.length === 0 ? clip(JSON.stringify(json)) : clip(parts.join('; '));
}

function fieldErrors(entry: unknown): string[] {
  if (!isRecord(entry)) return [];
  return Object.entries(entry).map(([field, messages]) => {
    const text = Array.isArray(messages) ? messages.map(String).join(' ') : String(messages);
    return `${field}: ${text}`;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clip(text: string): string {
  return text.length > maxDetailChars ? `${text.slice(0, maxDetailChars)}…` : text;
}
