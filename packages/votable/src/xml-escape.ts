/**
 * XML 1.0 escaping for the writer: text content and attribute values.
 *
 * Characters XML 1.0 cannot carry at all, not even as character references (XML 1.0 §2.2
 * `Char`: U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, unpaired surrogates, U+FFFE, U+FFFF),
 * are handled by an {@link InvalidCharacterPolicy}: replaced by U+FFFD (the default), dropped,
 * or refused with a WriteError. BINARY and BINARY2 cell bytes are not XML and keep them.
 */

import { WriteError, type ErrorLocation } from './errors.js';

/**
 * What the writer does with a character XML 1.0 forbids:
 * - `'replace'` (default): writes U+FFFD REPLACEMENT CHARACTER instead, so the loss is visible;
 * - `'drop'`: leaves it out (the usual choice for NUL padding);
 * - `'throw'`: throws a WriteError naming where.
 */
export type InvalidCharacterPolicy = 'replace' | 'drop' | 'throw';

// Anything that needs work in text content: markup characters, CR (a parser would turn a bare
// CR into LF, XML 1.0 §2.11), and the characters XML 1.0 forbids, including unpaired surrogates.
const TEXT_SPECIAL = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/;
// Attributes also need `"` and the whitespace that attribute-value normalization (XML 1.0
// §3.3.3) would turn into spaces.
const ATTRIBUTE_SPECIAL = /[&<>"\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/;

function escapeWith(
  text: string,
  attribute: boolean,
  policy: InvalidCharacterPolicy,
  where: ErrorLocation | undefined,
): string {
  let out = '';
  let last = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let rep: string | undefined;
    switch (c) {
      case 0x26:
        rep = '&amp;';
        break;
      case 0x3c:
        rep = '&lt;';
        break;
      case 0x3e:
        rep = '&gt;';
        break;
      case 0x22:
        if (attribute) rep = '&quot;';
        break;
      case 0x09:
        if (attribute) rep = '&#9;';
        break;
      case 0x0a:
        if (attribute) rep = '&#10;';
        break;
      case 0x0d:
        rep = '&#13;';
        break;
      default:
        if (c >= 0xd800 && c <= 0xdbff) {
          const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
          if (next >= 0xdc00 && next <= 0xdfff) {
            i++; // a well-formed pair is a legal character
            continue;
          }
          rep = invalid(c, policy, where);
        } else if (c < 0x20 || (c >= 0xdc00 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) {
          rep = invalid(c, policy, where);
        }
    }
    if (rep !== undefined) {
      out += text.slice(last, i) + rep;
      last = i + 1;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

function invalid(code: number, policy: InvalidCharacterPolicy, where: ErrorLocation | undefined): string {
  if (policy === 'drop') return '';
  if (policy === 'replace') return '\uFFFD';
  throw new WriteError(
    `character U+${code.toString(16).toUpperCase().padStart(4, '0')} cannot be written in XML 1.0 ` +
      `(use invalidCharacters: 'replace' or 'drop', or a BINARY serialization for cell data)`,
    where ?? {},
  );
}

/**
 * Escapes `text` for element content: `&`, `<`, `>`, and CR as `&#13;`; LF and tab stay literal.
 * Characters XML 1.0 forbids follow `policy` (default `'replace'`).
 */
export function escapeXmlText(
  text: string,
  policy: InvalidCharacterPolicy = 'replace',
  where?: ErrorLocation,
): string {
  return TEXT_SPECIAL.test(text) ? escapeWith(text, false, policy, where) : text;
}

/**
 * Escapes `text` for a double-quoted attribute value: `&`, `<`, `>`, `"`, and tab, LF, CR as
 * character references so that attribute-value normalization keeps them. Characters XML 1.0
 * forbids follow `policy` (default `'replace'`).
 */
export function escapeXmlAttribute(
  text: string,
  policy: InvalidCharacterPolicy = 'replace',
  where?: ErrorLocation,
): string {
  return ATTRIBUTE_SPECIAL.test(text) ? escapeWith(text, true, policy, where) : text;
}
