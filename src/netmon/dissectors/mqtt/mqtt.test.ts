import { describe, expect, it } from 'vitest';
import { associateRq, pData, pdv } from '../testing/dicom.js';
import { ascii, byteByByte, comparable, concat, dissect, fixedChunks, flowKey, u16be, type Step } from '../testing/harness.js';
import { connack, connect, disconnect, pingreq, pingresp, puback, publish, publishByAlias, suback, subscribe } from '../testing/mqtt.js';
import { clientHello, records } from '../testing/tls.js';
import { mqttDissector } from './dissector.js';

const key = flowKey('tcp', 1883);

describe('mqtt dissector', () => {
  it('reports an MQTT 5 CONNECT with credentials presence, will and properties, without the password', () => {
    const props = Uint8Array.of(0x11, 0, 0, 0x0e, 0x10, 0x21, 0, 20);
    const [c] = dissect(mqttDissector, key, [
      ['c2s', connect({ level: 5, clientId: 'pump-17', username: 'pump', password: 'hunter2-secret', keepAlive: 30, will: { topic: 'ward3/pump-17/status', payload: 'offline', qos: 1, retain: true }, properties: props })],
    ]);
    expect(c?.fields).toMatchObject({
      protocolVersion: '5.0',
      clientId: 'pump-17',
      cleanStart: true,
      keepAlive: 30,
      usernamePresent: true,
      username: 'pump',
      passwordPresent: true,
      passwordLength: 14,
      will: { topic: 'ward3/pump-17/status', qos: 1, retain: true, payloadLength: 7 },
      properties: { sessionExpiryInterval: 3600, receiveMaximum: 20 },
    });
    expect(c?.findings?.map((f) => [f.code, f.severity])).toEqual([['mqtt.no-tls', 'medium'], ['mqtt.cleartext-credentials', 'high']]);
    expect(JSON.stringify(c)).not.toContain('hunter2');
  });

  it('reports topics published and subscribed once per direction and counts the rest', () => {
    const steps: Step[] = [
      ['c2s', connect({ level: 4, clientId: 'monitor-1' })],
      ['s2c', connack(0)],
      ['c2s', subscribe(1, [{ filter: 'ward3/+/alarms', qos: 1 }, { filter: 'ward3/#', qos: 0 }])],
      ['c2s', concat(publish('ward3/monitor-1/vitals', new Uint8Array(300)), publish('ward3/monitor-1/vitals', new Uint8Array(10), 1))],
      ['s2c', publish('ward3/bed2/alarms', new Uint8Array(5000), 1)],
      ['c2s', disconnect()],
    ];
    const obs = dissect(mqttDissector, key, steps);
    expect(obs.map((o) => o.kind)).toEqual(['mqtt.connect', 'mqtt.connack', 'mqtt.subscribe', 'mqtt.publish', 'mqtt.publish', 'mqtt.session-summary']);
    expect(obs[1]?.fields).toMatchObject({ accepted: true, returnCodeName: 'accepted' });
    expect(obs[2]?.fields.topics).toEqual([{ filter: 'ward3/+/alarms', qos: 1 }, { filter: 'ward3/#', qos: 0 }]);
    expect(obs[3]?.fields).toMatchObject({ topic: 'ward3/monitor-1/vitals', payloadLength: 300 });
    expect(obs[4]?.fields).toMatchObject({ topic: 'ward3/bed2/alarms', qos: 1, payloadLength: 5000 });
    expect(obs[5]?.fields).toMatchObject({ publishCount: { c2s: 2, s2c: 1 }, distinctTopics: { c2s: 1, s2c: 1 }, disconnected: true });
    expect(obs[0]?.findings?.map((f) => f.code)).toEqual(['mqtt.no-tls']);
    expect(comparable(dissect(mqttDissector, key, steps, byteByByte))).toEqual(comparable(obs));
  });

  it('counts PUBLISH packets repeating a reported topic, and still rejects a malformed one with that topic', () => {
    const vitals = 'ward3/monitor-1/vitals';
    const steps: Step[] = [
      ['c2s', connect({ level: 4, clientId: 'monitor-1' })],
      ['c2s', concat(publish(vitals, new Uint8Array(20)), publish(vitals, new Uint8Array(30), 1), publish('ward3/monitor-1/alarms', new Uint8Array(1)), publish(vitals, new Uint8Array(5)))],
      ['c2s', disconnect()],
    ];
    const obs = dissect(mqttDissector, key, steps);
    expect(obs.filter((o) => o.kind === 'mqtt.publish').map((o) => o.fields.topic)).toEqual([vitals, 'ward3/monitor-1/alarms']);
    expect(obs.at(-1)?.fields).toMatchObject({ publishCount: { c2s: 4, s2c: 0 }, distinctTopics: { c2s: 2, s2c: 0 } });
    // QoS 3 does not exist: rejected even when the topic is the one just seen
    const qos3 = publish(vitals, new Uint8Array(2));
    qos3[0] = 0x36;
    expect(() => dissect(mqttDissector, key, [steps[0]!, ['c2s', publish(vitals, new Uint8Array(2))], ['c2s', qos3]])).toThrow(expect.objectContaining({ code: 'netmon.mqtt.bad-flags' }));
    // a QoS 1 PUBLISH too short for its packet identifier, after the same topic
    const cut = Uint8Array.of(0x32, 2 + vitals.length, 0, vitals.length, ...new TextEncoder().encode(vitals));
    expect(() => dissect(mqttDissector, key, [steps[0]!, ['c2s', publish(vitals, new Uint8Array(2))], ['c2s', cut]])).toThrow(expect.objectContaining({ code: 'netmon.mqtt.truncated' }));
  });

  it('names a CONNACK refusal for bad credentials', () => {
    const obs = dissect(mqttDissector, key, [['c2s', connect({ level: 4, clientId: 'x', username: 'u', password: 'p' })], ['s2c', connack(4)]]);
    expect(obs[1]?.fields).toMatchObject({ accepted: false, returnCodeName: 'bad user name or password' });
  });

  it('rejects a remaining length longer than four bytes and a SUBSCRIBE with wrong fixed-header flags', () => {
    const hello = connect({ level: 4, clientId: 'x' });
    expect(() => dissect(mqttDissector, key, [['c2s', concat(hello, Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x7f))]])).toThrow(expect.objectContaining({ code: 'netmon.mqtt.bad-varint' }));
    expect(() => dissect(mqttDissector, key, [['c2s', concat(hello, Uint8Array.of(0x80, 0x02, 0, 1))]])).toThrow(expect.objectContaining({ code: 'netmon.mqtt.bad-flags', byteOffset: hello.length }));
  });

  it('detects CONNECT for MQTT 3.1, 3.1.1 and 5 and nothing else', () => {
    for (const level of [3, 4, 5] as const) expect(mqttDissector.detect(connect({ level, clientId: 'a' }), 'c2s', flowKey('tcp', 17501))).toBe('yes');
    expect(mqttDissector.detect(Uint8Array.of(0x10, 0x20, 0, 4, 0x4d), 'c2s', key)).toBe('need-more');
    expect(mqttDissector.detect(Uint8Array.of(0x10, 0x20, 0, 4, 0x58), 'c2s', key)).toBe('no');
    // a lone PUBLISH is not a CONNECT, but it may begin a session seen from the middle (below)
    expect(mqttDissector.detect(publish('a', new Uint8Array(1)), 'c2s', key)).toBe('need-more');
    expect(mqttDissector.detect(ascii('MQTT is not here'), 'c2s', key)).toBe('no');
  });

  it('reads a session that opens with CONNECT from its first byte and says so in the summary', () => {
    const obs = dissect(mqttDissector, key, [['c2s', connect({ level: 4, clientId: 'p' })], ['s2c', connack(0)], ['c2s', publish('a/b', new Uint8Array(2))]]);
    expect(obs.at(-1)?.fields).toMatchObject({ sawConnect: true, midStream: false, protocolVersion: '3.1.1', skippedBytes: { c2s: 0, s2c: 0 } });
    expect(obs.flatMap((o) => o.findings ?? []).map((f) => f.code)).toEqual(['mqtt.no-tls']);
  });
});

/** bytes from a fixed-seed xorshift generator: "random" input that every run sees the same */
function pseudoRandom(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const offPort = flowKey('tcp', 17501);
const noTls = (obs: readonly { findings?: readonly { code: string }[] }[]) => obs.flatMap((o) => o.findings ?? []).filter((f) => f.code === 'mqtt.no-tls');

describe('mqtt sessions seen from the middle (no CONNECT)', () => {
  // the end of a PUBLISH whose start came before the capture: JSON text, then whole packets
  const tail = ascii('","spo2":97,"hr":72}');
  const client = concat(
    tail,
    publish('ward3/pump-17/rate', ascii('{"ml_h":12.5}'), 1),
    puback(31),
    pingreq(),
    publish('ward3/pump-17/alarm', ascii('{"occlusion":false}')),
    publish('ward3/pump-17/rate', ascii('{"ml_h":12.0}'), 1),
    subscribe(9, [{ filter: 'ward3/pump-17/cmd/#', qos: 1 }]),
  );
  const broker = concat(puback(7), publish('ward3/pump-17/cmd/rate', ascii('{"set":10}'), 1), suback(9, [1]), pingresp());

  it('detects a client stream from the middle by a chain of packets and reads it from the chain on, in any chunking', () => {
    for (const k of [key, offPort]) expect(mqttDissector.detect(client, 'c2s', k)).toBe('yes');
    const obs = dissect(mqttDissector, offPort, [['c2s', client]]);
    expect(obs.map((o) => [o.kind, o.fields.topic ?? o.fields.topicCount ?? null])).toEqual([
      ['mqtt.publish', 'ward3/pump-17/rate'],
      ['mqtt.publish', 'ward3/pump-17/alarm'],
      ['mqtt.subscribe', 1],
      ['mqtt.session-summary', null],
    ]);
    expect(obs[0]?.fields).toMatchObject({ qos: 1, payloadLength: 13 });
    expect(obs.at(-1)?.fields).toMatchObject({
      sawConnect: false,
      midStream: true,
      protocolVersion: null,
      skippedBytes: { c2s: tail.length, s2c: 0 },
      publishCount: { c2s: 3, s2c: 0 },
    });
    // the first observation carries the finding CONNECT would have, and only it
    expect(obs[0]?.findings?.map((f) => [f.code, f.severity])).toEqual([['mqtt.no-tls', 'medium']]);
    expect(noTls(obs)).toHaveLength(1);
    for (const chunker of [byteByByte, fixedChunks(3), fixedChunks(tail.length + 1), fixedChunks(tail.length + 9)]) {
      expect(comparable(dissect(mqttDissector, offPort, [['c2s', client]], chunker))).toEqual(comparable(obs));
    }
  });

  it('reads both directions of a session seen from the middle, with the no-tls finding once per flow', () => {
    const steps: Step[] = [
      ['s2c', broker.subarray(0, 9)],
      ['c2s', client],
      ['s2c', broker.subarray(9)],
    ];
    expect(mqttDissector.detect(broker, 's2c', key)).toBe('yes');
    const obs = dissect(mqttDissector, key, steps);
    expect(obs.filter((o) => o.kind === 'mqtt.publish').map((o) => [o.dir, o.fields.topic])).toEqual([
      ['c2s', 'ward3/pump-17/rate'],
      ['c2s', 'ward3/pump-17/alarm'],
      ['s2c', 'ward3/pump-17/cmd/rate'],
    ]);
    expect(obs.at(-1)?.fields).toMatchObject({ midStream: true, skippedBytes: { c2s: tail.length, s2c: 0 }, publishCount: { c2s: 3, s2c: 1 } });
    expect(noTls(obs)).toHaveLength(1);
    expect(noTls(obs)[0]).toMatchObject({ message: expect.stringContaining('10.0.0.5:40000') });
    for (const chunker of [byteByByte, fixedChunks(5)]) expect(comparable(dissect(mqttDissector, key, steps, chunker))).toEqual(comparable(obs));
  });

  it('needs three packets off the MQTT port and two on it, one of them a PUBLISH with a topic', () => {
    const two = concat(publish('icu/bed4/hr', ascii('72')), puback(5));
    expect(mqttDissector.detect(two, 'c2s', key)).toBe('yes');
    expect(mqttDissector.detect(two, 'c2s', offPort)).toBe('need-more');
    expect(mqttDissector.detect(concat(two, puback(6)), 'c2s', offPort)).toBe('yes');
    // a PINGREQ links packets but does not count: 0xc0 0x00 is everywhere in binary data
    expect(mqttDissector.detect(concat(two, pingreq()), 'c2s', offPort)).toBe('need-more');
    expect(mqttDissector.detect(concat(two, pingreq(), puback(6)), 'c2s', offPort)).toBe('yes');
    expect(mqttDissector.detect(concat(publish('icu/bed4/hr', ascii('72')), pingreq(), pingreq()), 'c2s', key)).toBe('need-more');
    // acknowledgements and pings alone are never enough
    const acks = concat(puback(1), puback(2), pingreq(), puback(3), pingreq());
    expect(mqttDissector.detect(acks, 'c2s', key)).toBe('need-more');
    expect(mqttDissector.detect(concat(acks, publish('icu/bed4/hr', ascii('72'))), 'c2s', key)).toBe('yes');
    // a PUBLISH counts once its topic is checked: its payload may still be arriving
    const big = publish('icu/bed4/waveform', new Uint8Array(3000), 1);
    expect(mqttDissector.detect(concat(puback(2), big.subarray(0, 40)), 'c2s', key)).toBe('yes');
    expect(mqttDissector.detect(concat(puback(2), big.subarray(0, 10)), 'c2s', key)).toBe('need-more');
  });

  it('waits only while a checked packet runs to the end of what arrived', () => {
    const p = publish('icu/bed4/hr', ascii('72'));
    expect(mqttDissector.detect(p, 'c2s', offPort)).toBe('need-more');
    // cut after the topic, or a packet then the start of the next one's header
    expect(mqttDissector.detect(p.subarray(0, 15), 'c2s', offPort)).toBe('need-more');
    expect(mqttDissector.detect(concat(p, Uint8Array.of(0x30)), 'c2s', offPort)).toBe('need-more');
    // a header cut before its topic was checked, after bytes that are no packet: nothing to go on
    expect(mqttDissector.detect(concat(ascii('xyz'), p.subarray(0, 6)), 'c2s', offPort)).toBe('no');
    // a checked packet followed by bytes that are no packet
    expect(mqttDissector.detect(concat(p, ascii('GET /')), 'c2s', offPort)).toBe('no');
    // nothing may follow a DISCONNECT
    expect(mqttDissector.detect(concat(puback(1), pingreq(), p), 'c2s', key)).toBe('yes');
    expect(mqttDissector.detect(concat(puback(1), disconnect(), p), 'c2s', key)).toBe('need-more');
  });

  it('rejects packets whose shape MQTT forbids', () => {
    const pub = publish('icu/bed4/hr', ascii('72'));
    const withFirst = (p: Uint8Array, first: number) => concat(Uint8Array.of(first), p.subarray(1));
    // on the MQTT port a PUBLISH and one more packet are a chain; the "!" ends every chain
    const chain = (packet: Uint8Array) => mqttDissector.detect(concat(pub, packet, ascii('!')), 'c2s', key);
    expect(chain(puback(4))).toBe('yes');
    // 3.1.1 acknowledgements are a packet id, never 0; MQTT 5 adds a reason code its packet may carry
    expect(chain(puback(0))).toBe('no');
    expect(chain(puback(4, { reason: 0x10 }))).toBe('yes');
    expect(chain(puback(4, { reason: 0x42 }))).toBe('no');
    expect(chain(puback(4, { reason: 0x80, properties: concat(Uint8Array.of(0x1f), u16be(3), ascii('bad')) }))).toBe('yes');
    expect(chain(puback(4, { reason: 0x80, properties: Uint8Array.of(0x23, 0, 1) }))).toBe('no');
    // fixed-header flags, QoS 3, DUP on QoS 0, a PINGREQ with a body, a non-minimal remaining length
    expect(chain(withFirst(puback(4), 0x41))).toBe('no');
    expect(chain(withFirst(pub, 0x36))).toBe('no');
    expect(chain(withFirst(pub, 0x38))).toBe('no');
    expect(chain(concat(pingreq(), puback(3)))).toBe('yes');
    expect(chain(concat(Uint8Array.of(0xc0, 1, 0), puback(3)))).toBe('no');
    expect(chain(concat(Uint8Array.of(0x30, 0x8d, 0x00), pub.subarray(2)))).toBe('no');
    // topics: no wildcards, control characters or invalid UTF-8 in a topic name; filters may have wildcards
    expect(chain(publish('icu/+/hr', ascii('1')))).toBe('no');
    expect(chain(publish('icu/\u0007/hr', ascii('1')))).toBe('no');
    expect(chain(publish('icu/bett-ü/hr', ascii('1')))).toBe('yes');
    const latin1 = publish('icu/bett-x/hr', ascii('1'));
    latin1[10] = 0xfc;
    expect(chain(latin1)).toBe('no');
    expect(chain(subscribe(3, [{ filter: 'icu/+/hr', qos: 1 }]))).toBe('yes');
    expect(chain(subscribe(3, [{ filter: 'icu/+/hr', qos: 3 }]))).toBe('no');
  });

  it('tells MQTT 5 by a packet form only it has and reads its properties from then on', () => {
    const v5Publish = publish('icu/bed4/hr', ascii('72'), 1, true);
    const stream = concat(puback(12, { reason: 0 }), v5Publish, publishByAlias(1, ascii('73')), pingresp());
    expect(mqttDissector.detect(stream, 's2c', key)).toBe('yes');
    const obs = dissect(mqttDissector, key, [['s2c', stream]]);
    expect(obs.filter((o) => o.kind === 'mqtt.publish').map((o) => [o.fields.topic, o.fields.payloadLength])).toEqual([
      ['icu/bed4/hr', 2],
      ['', 2],
    ]);
    expect(obs.at(-1)?.fields).toMatchObject({ protocolVersion: '5.0', sawConnect: false, midStream: true });
    // without such a packet the level stays unknown and MQTT 5 properties count as payload
    const unknown = dissect(mqttDissector, key, [['s2c', concat(v5Publish, pingresp(), v5Publish)]]);
    expect(unknown.map((o) => o.fields.payloadLength ?? o.fields.protocolVersion)).toEqual([3, null]);
  });

  it('reads a broker side captured from its CONNACK on (the client side missing) from its first byte, flagged once', () => {
    const stream = concat(connack(0), publish('icu/bed4/cmd', ascii('1'), 1), publish('icu/bed4/cmd', ascii('2'), 1), pingresp());
    expect(mqttDissector.detect(stream, 's2c', key)).toBe('yes');
    const obs = dissect(mqttDissector, key, [['s2c', stream]]);
    expect(obs.map((o) => o.kind)).toEqual(['mqtt.connack', 'mqtt.publish', 'mqtt.session-summary']);
    expect(obs.at(-1)?.fields).toMatchObject({ sawConnect: false, midStream: false, skippedBytes: { c2s: 0, s2c: 0 }, publishCount: { c2s: 0, s2c: 2 } });
    expect(obs[0]?.findings?.map((f) => f.code)).toEqual(['mqtt.no-tls']);
    expect(noTls(obs)).toHaveLength(1);
  });

  it('accepts a client stream in the server direction (roles of a flow without handshake are guessed from ports)', () => {
    const obs = dissect(mqttDissector, key, [['s2c', concat(pingreq(), publish('icu/bed4/hr', ascii('72')), subscribe(2, [{ filter: 'icu/#', qos: 0 }]))]]);
    expect(obs.map((o) => o.kind)).toEqual(['mqtt.publish', 'mqtt.subscribe', 'mqtt.session-summary']);
    // but one stream does not mix both sides' packets
    const pub = publish('icu/bed4/hr', ascii('72'));
    expect(mqttDissector.detect(concat(pub, puback(1), pingreq(), subscribe(2, [{ filter: 'icu/#', qos: 0 }]), ascii('!')), 'c2s', offPort)).toBe('yes');
    expect(mqttDissector.detect(concat(pub, puback(1), pingreq(), suback(2, [0]), ascii('!')), 'c2s', offPort)).toBe('no');
  });

  it('off 1883, reads nothing of a direction whose first window holds no chain', () => {
    const late = concat(pseudoRandom(5000, 7), client.subarray(tail.length));
    expect(mqttDissector.detect(late.subarray(0, 4096), 'c2s', offPort)).toBe('no');
    const obs = dissect(mqttDissector, offPort, [['c2s', late], ['s2c', broker]]);
    expect(obs.filter((o) => o.dir === 'c2s')).toEqual([]);
    expect(obs.at(-1)?.fields).toMatchObject({ skippedBytes: { c2s: late.length, s2c: 0 }, publishCount: { c2s: 0, s2c: 1 } });
    expect(comparable(dissect(mqttDissector, offPort, [['c2s', late], ['s2c', broker]], fixedChunks(700)))).toEqual(comparable(obs));
  });

  it('on 1883, a direction of a session content chose keeps looking past its first window, the same in any chunking', () => {
    const late = concat(pseudoRandom(5000, 7), client.subarray(tail.length));
    const obs = dissect(mqttDissector, key, [['c2s', late], ['s2c', broker]]);
    const c2s = obs.filter((o) => o.dir === 'c2s');
    expect(c2s.length).toBeGreaterThan(0);
    expect(c2s.some((o) => o.kind === 'mqtt.publish')).toBe(true);
    expect(obs.at(-1)?.fields).toMatchObject({ midStream: true, skippedBytes: { c2s: 5000, s2c: 0 } });
    for (const chunker of [fixedChunks(700), fixedChunks(7)]) expect(comparable(dissect(mqttDissector, key, [['c2s', late], ['s2c', broker]], chunker))).toEqual(comparable(obs));
  });

  it('says no to other protocols in either direction and on either port', () => {
    const http = ascii('GET /api/v1/vitals?bed=4 HTTP/1.1\r\nHost: 10.0.0.9:1883\r\nAccept: */*\r\n\r\n');
    const httpReply = concat(ascii('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 2048\r\n\r\n'), pseudoRandom(2048, 11));
    const tls = concat(records(22, clientHello({ ciphers: [0x1301, 0xc02f], sni: 'broker.example' })), records(23, pseudoRandom(1400, 3)), records(23, pseudoRandom(900, 5)));
    const tlsMidStream = concat(pseudoRandom(700, 13), records(23, pseudoRandom(2000, 17)));
    const rq = associateRq({ calling: 'CT01', called: 'PACS', contexts: [{ id: 1, abstractSyntax: '1.2.840.10008.5.1.4.1.1.2', transferSyntaxes: ['1.2.840.10008.1.2'] }] });
    const dicomData = concat(pData(pdv(1, 0, pseudoRandom(3000, 19))), pData(pdv(1, 2, pseudoRandom(900, 23))));
    const cases = [http, httpReply, tls, tlsMidStream, rq, dicomData, concat(rq.subarray(40), dicomData)];
    for (let seed = 1; seed <= 40; seed++) cases.push(pseudoRandom(64 + seed * 97, seed * 7919));
    for (const bytes of cases) {
      for (const k of [key, offPort]) {
        for (const dir of ['c2s', 's2c'] as const) expect(mqttDissector.detect(bytes, dir, k), `${bytes.length} bytes ${dir} port ${k.server.port}`).toBe('no');
      }
    }
  });
});
