/**
 * Small XML documents (UWS job, VOSI capabilities/tables/availability) as a plain element
 * tree, parsed by fast-xml-parser with DTD and entity processing off: a hostile service
 * cannot make us expand entities or fetch anything. The five predefined entities and
 * numeric character references are decoded here, by hand, with no expansion possible.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DALFormatError, type DALErrorDetails } from './errors.js';

/** An element: local name (namespace prefix dropped), raw attributes, children, text. */
export interface XmlElement {
  /** Local name, e.g. `capability` for `<cap:capability>`. */
  name: string;
  /** Attributes as written (qualified names, e.g. `xsi:type`). */
  attributes: { [name: string]: string };
  children: XmlElement[];
  /** Concatenated direct text content, entities decoded, not trimmed. */
  text: string;
}

const ENTITIES: { [name: string]: string } = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the predefined entities and character references; leaves anything else as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return ENTITIES[ref];
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type Ordered = { [key: string]: unknown };

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

function convert(node: Ordered): XmlElement | undefined {
  const key = Object.keys(node).find((k) => k !== ':@');
  if (key === undefined || key === '#text' || key.startsWith('?') || key === '#comment') return undefined;
  const rawAttrs = (node[':@'] ?? {}) as { [k: string]: unknown };
  const attributes: { [name: string]: string } = {};
  for (const [k, v] of Object.entries(rawAttrs)) attributes[k] = decodeEntities(String(v));
  const element: XmlElement = { name: localName(key), attributes, children: [], text: '' };
  for (const child of (node[key] ?? []) as Ordered[]) {
    if ('#text' in child) element.text += decodeEntities(String(child['#text']));
    else {
      const converted = convert(child);
      if (converted) element.children.push(converted);
    }
  }
  return element;
}

/** Parses a whole small XML document; throws {@link DALFormatError} when it is not well-formed. */
export function parseXml(text: string, details: DALErrorDetails = {}): XmlElement {
  if (/<!DOCTYPE[^>]*\[/i.test(text)) {
    throw new DALFormatError('refusing an XML document with an internal DTD subset (entity definitions)', details);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new DALFormatError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`, { ...details, serverMessage: text.slice(0, 300) });
  }
  const nodes = parser.parse(text) as Ordered[];
  for (const node of nodes) {
    const root = convert(node);
    if (root) return root;
  }
  throw new DALFormatError('the XML document has no root element', details);
}

/** First child named `name` (local name), or undefined. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** All children named `name`. */
export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Trimmed text of the first child `name`, or undefined when absent or empty. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const c = child(el, name);
  const t = c?.text.trim();
  return t ? t : undefined;
}

/** Value of an attribute by local name (`type` finds `xsi:type` only if asked as `xsi:type`). */
export function attr(el: XmlElement | undefined, name: string): string | undefined {
  if (!el) return undefined;
  if (name in el.attributes) return el.attributes[name];
  if (name.includes(':')) {
    // the document may use another prefix for the same namespace (e.g. `xs:type`)
    const local = localName(name);
    const hit = Object.keys(el.attributes).find((k) => k.includes(':') && localName(k) === local && !k.startsWith('xmlns') && !k.startsWith('xlink:'));
    return hit === undefined ? undefined : el.attributes[hit];
  }
  return undefined;
}

/** The local part of an `xsi:type` value (`tr:TableAccess` → `TableAccess`), or undefined. */
export function xsiType(el: XmlElement | undefined): string | undefined {
  const value = attr(el, 'xsi:type');
  return value === undefined ? undefined : localName(value.trim());
}
