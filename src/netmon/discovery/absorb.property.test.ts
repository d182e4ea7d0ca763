import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../model.js';
import { DiscoveryBuilder } from './builder.js';
import { describeProfile } from './devices.js';
import { fallbackOuiDatabase } from './oui.js';

const KINDS = ['dicom.associate-rq', 'dicom.associate-ac', 'dicom.associate-rj', 'dicom.dimse', 'hl7.message', 'mqtt.connect', 'http.request', 'http.response', 'tls.client-hello', 'dhcp.request', 'dhcp.reply', 'dns.response', 'mdns.response', 'snmp.message', 'ssdp.notify', 'other.kind'];
const FIELD_NAMES = ['callingAe', 'calledAe', 'implementationVersionName', 'software', 'deviceHints', 'presentationContexts', 'command', 'modality', 'sendingApplication', 'sendingFacility', 'messageType', 'triggerEvent', 'clientId', 'userAgent', 'host', 'server', 'sni', 'ja3', 'clientMac', 'clientIp', 'yourIp', 'requestedIp', 'hostname', 'clientFqdn', 'vendorClass', 'parameterRequestList', 'answers', 'hostnames', 'models', 'system'];
const anyValue = fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true });
const endpoint = fc.record({ ip: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('127.0.0.1', '0.0.0.0', '')), port: fc.nat(65535), mac: fc.option(fc.constantFrom('00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff', '02:00:00:00:00:01', '00:1f:29:da:2d:79', 'garbage'), { nil: undefined }) });
const observation = fc.record({
  kind: fc.constantFrom(...KINDS),
  frame: fc.integer({ min: 1, max: 1_000_000 }),
  dir: fc.constantFrom('c2s' as const, 's2c' as const),
  flow: fc.option(fc.record({ transport: fc.constantFrom('tcp' as const, 'udp' as const), client: endpoint, server: endpoint }), { nil: undefined }),
  fields: fc.dictionary(fc.constantFrom(...FIELD_NAMES), anyValue, { maxKeys: 8 }),
  findings: fc.option(fc.array(fc.record({ code: fc.string(), severity: fc.constantFrom('critical' as const, 'high' as const, 'low' as const), message: fc.string() }), { maxLength: 3 }), { nil: undefined }),
});

describe('discovery on arbitrary observations', () => {
  it('never throws and keeps every profile within its bounds, whatever the fields hold', () => {
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 60 }), (list) => {
        const b = new DiscoveryBuilder({ maxProfiles: 20 });
        for (const o of list) {
          const full: Observation = { protocol: o.kind.split('.')[0]!, producer: 'p@1', ts: o.frame, ...o, ...(o.flow ? {} : { flow: undefined }) } as Observation;
          b.observe(full);
          if (o.flow) b.onFlowEnd({ id: 1, key: o.flow, roleGuessed: true, roleSource: 'port', c2s: { packets: 1, bytes: 1, payloadBytes: 0 }, s2c: { packets: 0, bytes: 0, payloadBytes: 0 }, firstTs: o.frame, lastTs: o.frame, firstFrame: o.frame, lastFrame: o.frame, closeReason: 'end-of-capture' });
        }
        const devices = b.finish().map((p) => describeProfile(p, fallbackOuiDatabase()));
        expect(devices.length).toBeLessThanOrEqual(20);
        for (const d of devices) for (const l of [d.aeTitles, d.hostnames, d.hl7Applications, d.mqttClientIds, d.software]) expect(l.length).toBeLessThanOrEqual(32);
      }),
      { numRuns: Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 150) },
    );
  });
});
