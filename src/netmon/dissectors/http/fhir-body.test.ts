import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEARCHSET, TERMINOLOGY_BATCH, TRANSACTION } from '../testing/fhir.js';
import { ascii } from '../testing/harness.js';
import { FHIR_BODY_SNIFF, mayCarryFhirJson, readFhirBody, type FhirBodySummary } from './fhir-body.js';
import { parseHead } from './head.js';

const PATIENT_TYPES = new Set(['Patient', 'Observation', 'Encounter', 'Condition']);
const isPatient = (t: string) => PATIENT_TYPES.has(t);
const read = (body: string | object) => readFhirBody(ascii(typeof body === 'string' ? body : JSON.stringify(body, null, 2)), isPatient);

describe('FHIR JSON body reader', () => {
  it('reads a transaction: Bundle type, entries, their resource types and methods, contained resources apart', () => {
    expect(read(TRANSACTION)).toEqual<FhirBodySummary>({
      object: true,
      resourceType: 'Bundle',
      bundleType: 'transaction',
      entries: 3,
      resourceTypes: ['Patient', 'Encounter', 'Observation'],
      nestedTypes: ['Device'],
      typesOverflow: false,
      methods: { POST: 2, PUT: 1 },
      matched: true,
      complete: true,
    });
  });

  it('never reports a value of a resource: no identifier, name or id', () => {
    const text = JSON.stringify(read(TRANSACTION));
    for (const value of ['MRN-0042', 'Doe', 'Jane', 'hr-7781', '1970-01-01', '61ebe359']) expect(text).not.toContain(value);
  });

  it('reads a searchset answer, matches and includes alike', () => {
    expect(read(SEARCHSET)).toMatchObject({ bundleType: 'searchset', entries: 3, resourceTypes: ['Observation', 'Patient'], methods: {}, matched: true, complete: true });
  });

  it('names the types of batch entries without a resource by their request url, and finds no patient in a terminology batch', () => {
    expect(read(TERMINOLOGY_BATCH)).toMatchObject({ bundleType: 'batch', entries: 3, resourceTypes: ['ValueSet', 'CodeSystem'], methods: { GET: 3 }, matched: false });
    // a deletion in a transaction names the type it deletes; an absolute or urn url names none
    const deletes = { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: '/Patient/42' } }, { request: { method: 'DELETE', url: 'http://other/fhir/Encounter/1' } }] };
    expect(read(deletes)).toMatchObject({ resourceTypes: ['Patient'], methods: { DELETE: 2 }, matched: true });
    // a searchset entry has no request: nothing read from urls in other Bundle types
    const history = { resourceType: 'Bundle', type: 'history', entry: [{ request: { method: 'DELETE', url: 'Patient/42' } }] };
    expect(read(history)).toMatchObject({ resourceTypes: [], methods: { DELETE: 1 }, matched: false });
  });

  it('takes only entry[].resource.resourceType as an entry type, not a resourceType nested deeper or in a string', () => {
    const body = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          resource: {
            resourceType: 'Basic',
            text: { div: 'copied JSON: {"resourceType": "Patient"} and "resourceType":"Condition"' },
            contained: [{ resourceType: 'Organization' }, { resourceType: 'Encounter' }],
            extension: [{ valueString: '\\"resourceType\\": \\"Claim\\"' }],
          },
        },
      ],
    };
    const s = read(body);
    expect(s.resourceTypes).toEqual(['Basic']);
    expect(s.nestedTypes).toEqual(['Organization', 'Encounter']);
    expect(JSON.stringify(s)).not.toMatch(/Patient|Condition|Claim/);
    // a contained patient resource is the entry's patient data
    expect(s.matched).toBe(true);
  });

  it('reads escaped key and value characters as JSON means them, and skips escaped quotes inside strings', () => {
    expect(read('{"resource\\u0054ype":"Bund\\u006ce","type":"batch","entry":[{"resource":{"resourceType":"Patient"}}]}')).toMatchObject({ resourceType: 'Bundle', resourceTypes: ['Patient'] });
    const s = read('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Basic","note":"a \\"},{\\"resource\\":{\\"resourceType\\":\\"Patient\\" trap \\\\"}}]}');
    expect(s).toMatchObject({ entries: 1, resourceTypes: ['Basic'], matched: false, complete: true });
  });

  it('reads entries before resourceType (keys in any order), and a body cut before it as a Bundle', () => {
    const sorted = '{"entry":[{"resource":{"resourceType":"Patient"}}],"resourceType":"Bundle","type":"searchset"}';
    expect(read(sorted)).toMatchObject({ resourceType: 'Bundle', bundleType: 'searchset', resourceTypes: ['Patient'], complete: true });
    expect(read(sorted.slice(0, 50))).toMatchObject({ resourceType: null, entries: 1, resourceTypes: ['Patient'], complete: false });
  });

  it('reads a resource other than a Bundle: its type, and the resources inside it as nested', () => {
    const params = { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: { resourceType: 'Patient', name: [{ family: 'Doe' }] } }] };
    expect(read(params)).toMatchObject({ resourceType: 'Parameters', bundleType: null, entries: 0, resourceTypes: [], nestedTypes: ['Patient'], matched: true });
    // a List's entries are references, not a Bundle's entries
    expect(read({ resourceType: 'List', entry: [{ item: { reference: 'Patient/1' } }] })).toMatchObject({ resourceType: 'List', entries: 0, matched: false });
    expect(read({ resourceType: 'Patient', type: 'batch' })).toMatchObject({ resourceType: 'Patient', bundleType: null, matched: true });
  });

  it('lists 16 distinct types at most, and still matches a patient type past them', () => {
    const types = Array.from({ length: 20 }, (_, i) => `Type${String.fromCharCode(65 + i)}x`);
    const entry = [...types.map((t) => ({ resource: { resourceType: t } })), { resource: { resourceType: 'Patient' } }];
    const s = read({ resourceType: 'Bundle', type: 'collection', entry });
    expect(s.resourceTypes).toEqual(types.slice(0, 16));
    expect(s).toMatchObject({ entries: 21, typesOverflow: true, matched: true });
  });

  it('says a body is no JSON object, and ignores names that are not type names', () => {
    for (const body of ['', '   ', '[{"resourceType":"Patient"}]', '"Patient"', '<Bundle xmlns="http://hl7.org/fhir"/>']) expect(read(body)).toMatchObject({ object: false, resourceType: null, matched: false });
    expect(read('\ufeff {"resourceType":"Bundle"}')).toMatchObject({ object: true, resourceType: 'Bundle', complete: true });
    expect(read({ resourceType: 'Bundle', entry: [{ resource: { resourceType: 'patient' } }, { resource: { resourceType: 'X'.repeat(80) } }, { resource: { resourceType: 7 } }] })).toMatchObject({ entries: 3, resourceTypes: [] });
    expect(read({ resourceType: 'Bundle', type: 'not-a-type', entry: [{ request: { method: 'FETCH', url: 'Patient' } }] })).toMatchObject({ bundleType: null, methods: {} });
  });

  it('stops at a fault and reports what was read before it', () => {
    const broken = '{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"Observation"}} oops {"resource":{"resourceType":"Encounter"}}]}';
    expect(read(broken)).toMatchObject({ entries: 2, resourceTypes: ['Patient', 'Observation'], complete: false });
    expect(read('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","x":"\\q"}}]}')).toMatchObject({ resourceTypes: ['Patient'], complete: false });
  });

  it('bounds nesting: containers past depth 64 are only counted, and reading goes on after them', () => {
    const deep = `${'['.repeat(100_000)}"]]}{"${']'.repeat(100_000)}`;
    const body = `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Basic","x":${deep}}},{"resource":{"resourceType":"Patient"}}]}`;
    expect(read(body)).toMatchObject({ entries: 2, resourceTypes: ['Basic', 'Patient'], complete: true });
    // a resourceType past the bound is not looked for
    const buried = `{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Basic","x":${'{"a":'.repeat(70)}{"resourceType":"Patient"}${'}'.repeat(70)}}}]}`;
    expect(read(buried)).toMatchObject({ resourceTypes: ['Basic'], nestedTypes: [], complete: true });
  });

  it('cut at every byte: never throws, reports only types and counts the cut body holds, complete only whole', () => {
    const text = JSON.stringify(TRANSACTION, null, 2);
    const bytes = ascii(text);
    const whole = readFhirBody(bytes, isPatient);
    for (let n = 0; n <= bytes.length; n++) {
      const s = readFhirBody(bytes.subarray(0, n), isPatient);
      const prefix = text.slice(0, n);
      const named = [...s.resourceTypes, ...s.nestedTypes, s.resourceType, s.bundleType].filter((t) => t !== null);
      for (const t of named) expect(prefix).toContain(`"${t}"`);
      expect(s.entries).toBeLessThanOrEqual(whole.entries);
      expect(s.complete).toBe(n === bytes.length);
      if (s.matched) expect(s.resourceTypes.some(isPatient)).toBe(true);
    }
  });

  it('never throws on random or mutated bytes, and lists 16 types at most', () => {
    const base = ascii(JSON.stringify(TRANSACTION));
    const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 8 }), insert: fc.uint8Array({ maxLength: 8 }) });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 8 }), fc.uint8Array({ maxLength: 300 }), (edits, noise) => {
        let b = base;
        for (const e of edits) {
          const at = e.at % (b.length + 1);
          const next = new Uint8Array(b.length - Math.min(e.del, b.length - at) + e.insert.length);
          next.set(b.subarray(0, at));
          next.set(e.insert, at);
          next.set(b.subarray(at + Math.min(e.del, b.length - at)), at + e.insert.length);
          b = next;
        }
        for (const input of [b, noise, Uint8Array.of(0x7b, ...noise)]) {
          const s = readFhirBody(input, isPatient);
          expect(s.resourceTypes.length).toBeLessThanOrEqual(16);
          expect(s.nestedTypes.length).toBeLessThanOrEqual(16);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('takes time linear in the body length', () => {
    const entry = JSON.stringify({ resource: { resourceType: 'Observation', note: [{ text: 'a \\"quoted\\" note \\u00e9'.repeat(4) }], x: [[[[{ y: 1 }]]]] } });
    const body = (n: number) => ascii(`{"resourceType":"Bundle","type":"collection","entry":[${Array.from({ length: n }, () => entry).join(',')}]}`);
    const time = (b: Uint8Array) => {
      let best = Infinity;
      for (let run = 0; run < 5; run++) {
        const t0 = performance.now();
        readFhirBody(b, isPatient);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    const small = body(400);
    const large = body(3200);
    time(large); // warm up
    // 8 times the bytes: about 8 times the time; a quadratic reader would take 64 times
    expect(time(large) / Math.max(time(small), 0.05)).toBeLessThan(24);
  });
});

describe('which FHIR bodies are kept', () => {
  const head = (lines: string) => parseHead(`POST /fhir HTTP/1.1\r\n${lines}\r\n`)!;

  it('keeps FHIR JSON and JSON bodies, never compressed ones or other types', () => {
    expect(mayCarryFhirJson(head('Content-Type: application/fhir+json; fhirVersion=4.0\r\n'))).toBe(true);
    expect(mayCarryFhirJson(head('Content-Type: application/json+fhir\r\n'))).toBe(true);
    expect(mayCarryFhirJson(head('Content-Type: application/json;charset=utf-8\r\n'))).toBe(true);
    expect(mayCarryFhirJson(head('Content-Type: application/fhir+json\r\nContent-Encoding: identity\r\n'))).toBe(true);
    expect(mayCarryFhirJson(head('Content-Type: application/fhir+json\r\nContent-Encoding: gzip\r\n'))).toBe(false);
    expect(mayCarryFhirJson(head('Content-Type: application/fhir+xml\r\n'))).toBe(false);
    expect(mayCarryFhirJson(head(''))).toBe(false);
  });

  it('sniffs the first bytes: a JSON object goes on being kept, anything else is dropped, whatever follows them', () => {
    const accept = (s: string) => FHIR_BODY_SNIFF.accept(ascii(s));
    expect(accept('{"resourceType"')).toBe(true);
    expect(accept(`\ufeff\r\n  {`)).toBe(true);
    expect(accept('<Bundle xmlns="http://hl7.org/fhir">')).toBe(false);
    expect(accept('[{}]')).toBe(false);
    // whitespace only: kept while the body may still open an object, dropped past the sniffed bytes
    expect(accept('   ')).toBe(true);
    expect(accept(`${' '.repeat(FHIR_BODY_SNIFF.bytes)}{`)).toBe(false);
    expect(accept(`${' '.repeat(FHIR_BODY_SNIFF.bytes + 100)}{`)).toBe(false);
  });
});
