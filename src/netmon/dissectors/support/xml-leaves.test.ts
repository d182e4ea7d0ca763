import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntities, isXmlLeavesError, readXmlLeaves } from './xml-leaves.js';

const RUNS = Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 300);
const MAX_MS = 250;

const leafTexts = (xml: string) => readXmlLeaves(xml).leaves.map((l) => [l.path.join('/'), l.text]);

describe('readXmlLeaves', () => {
  it('returns leaves with their local-name paths, parents and decoded text', () => {
    const doc = readXmlLeaves('<?xml version="1.0"?><!DOCTYPE root><r:root xmlns:r="urn:x"><a>1</a><b><c>x &amp; y</c><c/></b></r:root>');
    expect(doc).toMatchObject({ rootName: 'root', rootNamespace: 'urn:x', complete: true });
    expect(doc.leaves).toEqual([
      { path: ['root', 'a'], parent: 0, text: '1' },
      { path: ['root', 'b', 'c'], parent: 2, text: 'x & y' },
      { path: ['root', 'b', 'c'], parent: 2, text: '' },
    ]);
  });

  it('decodes the predefined entities and character references, and leaves unknown entities as written', () => {
    expect(decodeEntities('&lt;&gt;&amp;&quot;&apos; &#65;&#x42;&#X1F600; &nbsp; &constructor; & &#0; &#xD800;')).toBe('<>&"\' AB\u{1f600} &nbsp; &constructor; & \ufffd \ufffd');
  });

  it('keeps CDATA literally, skips comments and processing instructions, resolves the default namespace', () => {
    expect(leafTexts('<root xmlns="urn:d"><!-- <a>no</a> --><?pi x?><a><![CDATA[<b>&amp;</b>]]></a></root>')).toEqual([['root/a', '<b>&amp;</b>']]);
    expect(readXmlLeaves('<root xmlns="urn:d"/>')).toMatchObject({ rootNamespace: 'urn:d', complete: true });
  });

  it('replaces control characters and bounds leaf text', () => {
    const [leaf] = readXmlLeaves(`<r><a>x&#7;${'y'.repeat(2000)}</a></r>`, { maxText: 100 }).leaves;
    expect(leaf?.text).toBe(`x.${'y'.repeat(98)}`);
  });

  it('returns what a document cut short holds, marked incomplete', () => {
    const doc = readXmlLeaves('<root><device><friendlyName>Pump 4</friendlyName><modelName>Alar');
    expect(doc.complete).toBe(false);
    expect(doc.leaves.map((l) => l.text)).toEqual(['Pump 4']);
  });

  it('stops at the leaf bound', () => {
    const doc = readXmlLeaves(`<r>${'<a>1</a>'.repeat(100)}</r>`, { maxLeaves: 10 });
    expect(doc.leaves).toHaveLength(10);
    expect(doc.complete).toBe(false);
  });

  it.each([
    ['a mismatched end tag', '<root><a>1</b></root>', 'netmon.xml.mismatched-end-tag', 10],
    ['an end tag without a start', '</root>', 'netmon.xml.mismatched-end-tag', 0],
    ['an internal DTD subset (entity declarations)', '<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>', 'netmon.xml.dtd-not-supported', 0],
    ['an unquoted attribute', '<root a=1></root>', 'netmon.xml.bad-attribute', 0],
    ['a start tag without a name', '<root>< a></root>', 'netmon.xml.bad-tag', 6],
    ['nesting deeper than the bound', '<a>'.repeat(40), 'netmon.xml.too-deep', 96],
    ['a tag longer than the bound', `<root a="${'x'.repeat(5000)}">`, 'netmon.xml.tag-too-long', 0],
  ])('rejects %s with a typed error and its offset', (_name, xml, code, offset) => {
    expect(() => readXmlLeaves(xml)).toThrow(expect.objectContaining({ code, byteOffset: offset }));
  });

  it('never resolves entities it does not know (no DTD, no external entities)', () => {
    expect(leafTexts('<!DOCTYPE r SYSTEM "http://example.invalid/x.dtd"><r><a>&xxe;</a></r>')).toEqual([['r/a', '&xxe;']]);
  });
});

describe('readXmlLeaves properties', () => {
  const SAMPLE = `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major></specVersion><device><friendlyName>A &amp; B</friendlyName><!-- c --><modelName><![CDATA[M<1>]]></modelName><deviceList><device><UDN>uuid:1</UDN></device></deviceList></device></root>`;
  const tokens = fc.constantFrom('<', '>', '</', '/>', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '<!DOCTYPE', '[', '&', ';', '&#x', '&#', '"', "'", '=', ' ', 'a', 'root', 'xmlns', ':', 'u:', '\n');

  const check = (xml: string): void => {
    const start = performance.now();
    try {
      const doc = readXmlLeaves(xml);
      for (const l of doc.leaves) expect(l.text.length).toBeLessThanOrEqual(512);
    } catch (e) {
      if (!isXmlLeavesError(e)) throw e;
    }
    expect(performance.now() - start).toBeLessThan(MAX_MS);
  };

  it('random text never throws anything but the typed error, quickly', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), check), { numRuns: RUNS });
  });

  it('documents built from XML punctuation never throw anything but the typed error, quickly', () => {
    fc.assert(fc.property(fc.array(tokens, { maxLength: 400 }), (t) => check(t.join(''))), { numRuns: RUNS });
  });

  it('mutated descriptions never throw anything but the typed error, quickly', () => {
    const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 8 }), insert: fc.oneof(fc.string({ maxLength: 8 }), tokens) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        let s = SAMPLE;
        for (const e of edits) {
          const at = e.at % (s.length + 1);
          s = s.slice(0, at) + e.insert + s.slice(at + e.del);
        }
        check(s);
      }),
      { numRuns: RUNS },
    );
  });

  it('every prefix of a valid description reads without error, incomplete until the root closes', () => {
    for (let n = 0; n < SAMPLE.length; n++) expect(readXmlLeaves(SAMPLE.slice(0, n)).complete).toBe(false);
    expect(readXmlLeaves(SAMPLE).complete).toBe(true);
  });

  it('stays fast on pathological inputs: many bare ampersands, unclosed comments, long runs of tags', () => {
    for (const xml of [`<r><a>${'&'.repeat(100_000)}</a></r>`, `<r><!--${'-'.repeat(100_000)}`, `<r>${'<a/>'.repeat(20_000)}</r>`, `<r>${'<!x>'.repeat(20_000)}</r>`, `<r a="${'"'.repeat(1)}${'<'.repeat(50_000)}`]) check(xml);
  });
});
