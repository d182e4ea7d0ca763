import { describe, expect, it } from 'vitest';
import { byteByByte, comparable, concat, dissect, flowKey, type Step } from '../testing/harness.js';
import { connack, connect, disconnect, publish, subscribe } from '../testing/mqtt.js';
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
    expect(() => dissect(mqttDissector, key, [['c2s', Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x7f)]])).toThrow(expect.objectContaining({ code: 'netmon.mqtt.bad-varint' }));
    expect(() => dissect(mqttDissector, key, [['c2s', Uint8Array.of(0x80, 0x02, 0, 1)]])).toThrow(expect.objectContaining({ code: 'netmon.mqtt.bad-flags', byteOffset: 0 }));
  });

  it('detects CONNECT for MQTT 3.1, 3.1.1 and 5 and nothing else', () => {
    for (const level of [3, 4, 5] as const) expect(mqttDissector.detect(connect({ level, clientId: 'a' }), 'c2s', flowKey('tcp', 17501))).toBe('yes');
    expect(mqttDissector.detect(Uint8Array.of(0x10, 0x20, 0, 4, 0x4d), 'c2s', key)).toBe('need-more');
    expect(mqttDissector.detect(Uint8Array.of(0x10, 0x20, 0, 4, 0x58), 'c2s', key)).toBe('no');
    expect(mqttDissector.detect(publish('a', new Uint8Array(1)), 'c2s', key)).toBe('no');
  });
});
