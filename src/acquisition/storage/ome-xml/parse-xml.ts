/**
 * A small XML reader for OME-XML: elements, attributes, text, entities; comments, processing instructions,
 * DOCTYPE and CDATA handled. Namespace prefixes are dropped (OME files use the default namespace, some use `ome:`).
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body] ?? whole;
  });
}

const localName = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

export function parseXml(xml: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let position = 0;
  const fail = (what: string): never => {
    throw new XmlSyntaxError(`${what} at character ${position}`);
  };
  const skipPast = (terminator: string): void => {
    const end = xml.indexOf(terminator, position);
    if (end < 0) fail(`unterminated ${xml.slice(position, position + 9)}`);
    position = end + terminator.length;
  };
  while (position < xml.length) {
    const open = xml.indexOf('<', position);
    const textEnd = open < 0 ? xml.length : open;
    if (textEnd > position && stack.length > 0) stack[stack.length - 1].text += decodeEntities(xml.slice(position, textEnd));
    if (open < 0) break;
    position = open;
    if (xml.startsWith('<!--', position)) skipPast('-->');
    else if (xml.startsWith('<?', position)) skipPast('?>');
    else if (xml.startsWith('<![CDATA[', position)) {
      const end = xml.indexOf(']]>', position);
      if (end < 0) fail('unterminated CDATA');
      if (stack.length > 0) stack[stack.length - 1].text += xml.slice(position + 9, end);
      position = end + 3;
    } else if (xml.startsWith('<!', position)) {
      // DOCTYPE, possibly with an internal subset in brackets
      const bracket = xml.indexOf('[', position);
      const close = xml.indexOf('>', position);
      position = bracket >= 0 && bracket < close ? xml.indexOf(']>', bracket) + 2 : close + 1;
      if (position <= 1) fail('unterminated DOCTYPE');
    } else if (xml[position + 1] === '/') {
      const close = xml.indexOf('>', position);
      if (close < 0) fail('unterminated end tag');
      const name = localName(xml.slice(position + 2, close).trim());
      const element = stack.pop();
      if (!element || element.name !== name) fail(`end tag </${name}> does not match <${element?.name ?? '(none)'}>`);
      position = close + 1;
    } else {
      const close = findTagEnd(xml, position);
      if (close < 0) fail('unterminated start tag');
      const selfClosing = xml[close - 1] === '/';
      const body = xml.slice(position + 1, selfClosing ? close - 1 : close);
      const nameEnd = body.search(/[\s/]|$/);
      const attributes: Record<string, string> = {};
      for (const match of body.slice(nameEnd).matchAll(ATTRIBUTE)) {
        attributes[localName(match[1])] = decodeEntities(match[3] ?? match[4] ?? '');
      }
      const element: XmlElement = { name: localName(body.slice(0, nameEnd)), attributes, children: [], text: '' };
      if (stack.length > 0) stack[stack.length - 1].children.push(element);
      else if (root) fail('a second root element');
      else root = element;
      if (!selfClosing) stack.push(element);
      position = close + 1;
    }
  }
  if (!root) throw new XmlSyntaxError('no root element');
  if (stack.length > 0) throw new XmlSyntaxError(`element <${stack[stack.length - 1].name}> is not closed`);
  return root;
}

/** Index of the `>` closing the tag that starts at `start`, skipping `>` inside quoted attribute values. */
function findTagEnd(xml: string, start: number): number {
  let quote = '';
  for (let i = start + 1; i < xml.length; i++) {
    const char = xml[i];
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '>') return i;
  }
  return -1;
}

export const childrenNamed = (element: XmlElement, name: string): XmlElement[] => element.children.filter((child) => child.name === name);
export const childNamed = (element: XmlElement, name: string): XmlElement | undefined =>
  element.children.find((child) => child.name === name);
