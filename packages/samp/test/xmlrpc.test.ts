import { describe, expect, it } from 'vitest';
import {
  XmlRpcEncodeError,
  XmlRpcFaultError,
  XmlRpcParseError,
  decodeMethodCall,
  decodeMethodResponse,
  encodeFault,
  encodeMethodCall,
  encodeMethodResponse,
} from '../src/index.js';

const call = (params: string) => `<?xml version="1.0"?><methodCall><methodName>m</methodName><params>${params}</params></methodCall>`;
const one = (value: string) => decodeMethodCall(call(`<param>${value}</param>`)).params[0];

describe('XML-RPC encoding', () => {
  it('encodes SAMP values as typed strings, arrays and structs', () => {
    expect(encodeMethodCall('samp.hub.notify', ['k', { 'samp.mtype': 'a.b', 'samp.params': { list: ['1', '2'], skip: undefined } }])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<methodCall><methodName>samp.hub.notify</methodName><params>' +
        '<param><value><string>k</string></value></param>' +
        '<param><value><struct><member><name>samp.mtype</name><value><string>a.b</string></value></member>' +
        '<member><name>samp.params</name><value><struct><member><name>list</name><value><array><data>' +
        '<value><string>1</string></value><value><string>2</string></value></data></array></value></member>' +
        '</struct></value></member></struct></value></param></params></methodCall>\n',
    );
  });

  it('escapes markup and keeps CR as a character reference', () => {
    expect(encodeMethodResponse('a<b>&c\r\nd')).toContain('<string>a&lt;b&gt;&amp;c&#13;\nd</string>');
    expect(decodeMethodResponse(encodeMethodResponse('a<b>&c\r\nd\te'))).toBe('a<b>&c\r\nd\te');
  });

  it('encodes the other XML-RPC types', () => {
    const xml = encodeMethodCall('m', [7, -2147483648, 2 ** 31, 1.5, true, false, new Uint8Array([0, 255, 7]), new Date(Date.UTC(2024, 0, 2, 3, 4, 5))]);
    expect(decodeMethodCall(xml).params).toEqual([7, -2147483648, 2 ** 31, 1.5, true, false, new Uint8Array([0, 255, 7]), new Date(Date.UTC(2024, 0, 2, 3, 4, 5))]);
    expect(xml).toContain('<int>-2147483648</int>');
    expect(xml).toContain('<double>2147483648</double>');
    expect(xml).toContain('<base64>AP8H</base64>');
    expect(xml).toContain('<dateTime.iso8601>20240102T03:04:05</dateTime.iso8601>');
  });

  it.each([
    [null, 'params[0]: null cannot be sent (SAMP has no null; omit the key)'],
    [[1, undefined], 'params[0][1]: undefined list element'],
    [{ a: 'x\u0001y' }, 'params[0]["a"]: character U+0001 at index 1 cannot appear in XML 1.0'],
    ['\ud800', 'params[0]: string contains a lone UTF-16 surrogate'],
    [Number.NaN, 'params[0]: NaN is not a finite number'],
    [() => 1, 'params[0]: a function cannot be sent'],
  ])('refuses %j with a path', (value, message) => {
    const error = (() => {
      try {
        encodeMethodCall('m', [value]);
      } catch (e) {
        return e as XmlRpcEncodeError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(XmlRpcEncodeError);
    expect(error.message).toBe(`samp: XML-RPC encode ${message}`);
  });

  it('encodes faults that decode to XmlRpcFaultError', () => {
    const xml = encodeFault(1, 'no such client \u0000 here');
    expect(() => decodeMethodResponse(xml, { method: 'samp.hub.notify' })).toThrow(XmlRpcFaultError);
    try {
      decodeMethodResponse(xml, { method: 'samp.hub.notify' });
    } catch (e) {
      expect((e as XmlRpcFaultError).faultCode).toBe(1);
      expect((e as XmlRpcFaultError).faultString).toBe('no such client ? here');
      expect((e as Error).message).toBe('samp: samp.hub.notify failed: no such client ? here (fault 1)');
    }
  });
});

describe('XML-RPC decoding', () => {
  it('reads JSAMP-style pretty-printed documents with untyped strings verbatim', () => {
    const jsamp = `<?xml version='1.0'?>
<methodCall>
  <methodName>samp.client.receiveNotification</methodName>
  <params>
    <param><value>key</value></param>
    <param>
      <value>
        <struct>
          <member>
            <name>samp.params</name>
            <value><struct>
              <member><name>text</name><value>  two  spaces &amp; &lt;tags&gt;\n</value></member>
              <member><name>empty</name><value></value></member>
              <member><name>self</name><value/></member>
              <member><name>list</name><value><array><data>
                <value>1</value>
                <value><string>2</string></value>
              </data></array></value></member>
            </struct></value>
          </member>
          <member><name>samp.mtype</name><value>x.y</value></member>
        </struct>
      </value>
    </param>
  </params>
</methodCall>
`;
    expect(decodeMethodCall(jsamp)).toEqual({
      methodName: 'samp.client.receiveNotification',
      params: ['key', { 'samp.params': { text: '  two  spaces & <tags>\n', empty: '', self: '', list: ['1', '2'] }, 'samp.mtype': 'x.y' }],
    });
  });

  it('decodes references, CDATA, comments and line ends the XML way', () => {
    expect(one('<value><string>&#65;&#x42;&quot;&apos;<![CDATA[<raw>&amp;]]><!-- c -->z</string></value>')).toBe('AB"\'<raw>&amp;z');
    expect(one('<value>a\r\nb\rc&#13;</value>')).toBe('a\nb\nc\r');
    expect(one('<value><string>\u{1F600} \u00e9</string></value>')).toBe('\u{1F600} \u00e9');
  });

  it('decodes every XML-RPC type hubs send', () => {
    expect(one('<value><i4> 42 </i4></value>')).toBe(42);
    expect(one('<value><int>-7</int></value>')).toBe(-7);
    expect(one('<value><i8>9007199254740991</i8></value>')).toBe(9007199254740991);
    expect(one('<value><boolean>1</boolean></value>')).toBe(true);
    expect(one('<value><double>-1.5e3</double></value>')).toBe(-1500);
    expect(one('<value><base64>aGk=\n</base64></value>')).toEqual(new Uint8Array([104, 105]));
    expect(one('<value><dateTime.iso8601>1998-07-17T14:08:55</dateTime.iso8601></value>')).toEqual(new Date('1998-07-17T14:08:55Z'));
    expect(one('<value><nil/></value>')).toBeNull();
    expect(one('<value><array><data/></array></value>')).toEqual([]);
    expect(one('<value><struct/></value>')).toEqual({});
  });

  it('keeps a "__proto__" member as data', () => {
    const value = one('<value><struct><member><name>__proto__</name><value>x</value></member></struct></value>') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(value['__proto__']).toBe('x');
  });

  it.each([
    ['<!DOCTYPE x [<!ENTITY a "b">]><methodCall/>', 'DOCTYPE and entity declarations are not allowed in XML-RPC', 0],
    [call('<param><value>&xxe;</value></param>'), 'unknown entity &xxe; (only the five predefined entities are allowed)', 81],
    [call('<param><value><int>1.5</int></value></param>'), '<int> holds "1.5", not an integer', 81],
    [call('<param><value><boolean>yes</boolean></value></param>'), '<boolean> holds "yes", expected 0 or 1', 81],
    [call('<param><value><float>1</float></value></param>'), 'unknown XML-RPC type <float>', 81],
    [call('<param><value>x<string>y</string></value></param>'), 'text mixed with a typed value', 74],
    ['<methodCall><methodName>m</methodName><params><param><value>x', 'document ends inside character data', 61],
    [call('<param><value>x</value></param>') + '<junk/>', 'unexpected content after the document: "<junk/>"', 120],
  ])('refuses bad input: %s', (xml, message, offset) => {
    let error: XmlRpcParseError | undefined;
    try {
      decodeMethodCall(xml);
    } catch (e) {
      error = e as XmlRpcParseError;
    }
    expect(error).toBeInstanceOf(XmlRpcParseError);
    expect(error!.message).toBe(`samp: XML-RPC at offset ${offset}: ${message}`);
    expect(error!.offset).toBe(offset);
  });

  it('bounds document size and nesting depth', () => {
    expect(() => decodeMethodCall(call(''), { maxLength: 10 })).toThrow('document of 89 characters exceeds the limit of 10');
    const deep = '<value><array><data>'.repeat(70) + '<value>x</value>' + '</data></array></value>'.repeat(70);
    expect(() => decodeMethodCall(call(`<param>${deep}</param>`))).toThrow('arrays/structs nested deeper than 64');
    expect(decodeMethodCall(call(`<param>${deep}</param>`), { maxDepth: 100 }).params).toHaveLength(1);
  });

  it('round-trips random SAMP values', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const chars = '\t\n\r !"#&\'<>]]>abcXYZ09\u00e9\u4e2d\u{1F600}';
    const string = () => Array.from({ length: Math.floor(random() * 8) }, () => [...chars][Math.floor(random() * [...chars].length)]).join('');
    const value = (depth: number): unknown => {
      const kind = depth === 0 ? 0 : Math.floor(random() * 3);
      if (kind === 0) return string();
      if (kind === 1) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth - 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [string(), value(depth - 1)]));
    };
    for (let i = 0; i < 200; i++) {
      const v = value(4);
      expect(decodeMethodResponse(encodeMethodResponse(v))).toEqual(v);
    }
  });
});
