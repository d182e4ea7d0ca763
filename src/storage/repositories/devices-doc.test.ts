import { describe, expect, it } from 'vitest';
import { DEVICE_ATTRIBUTE_NAMES, type Device, type Provenance } from '../../inventory/index.js';
import { decodeDevice, encodeDevice } from './devices-doc.js';

const p = (source: string, confidence: number): Provenance => ({ source, kind: 'import', confidence, observedAt: '2024-01-01T00:00:00.000Z' });

describe('stored device documents', () => {
  it('round-trips every attribute, its own provenance, network identities and sources', () => {
    const device = {
      id: 'dev_X',
      network: { macs: ['00:11:22:33:44:55'], ips: ['10.0.0.1', '10.0.0.2'], hostnames: ['h'], aeTitles: ['AE'], hl7Applications: ['APP^FAC'] },
      firstSeen: '2024-01-01T00:00:00.000Z',
      lastSeen: '2024-01-02T00:00:00.000Z',
      createdAt: '2024-01-03T00:00:00.000Z',
      updatedAt: '2024-01-04T00:00:00.000Z',
      provenance: { network: p('network-source', 0.3) } as Device['provenance'],
      sources: ['a', 'b'],
    } as Device;
    DEVICE_ATTRIBUTE_NAMES.forEach((name, i) => {
      (device as unknown as Record<string, string>)[name] = `value-${name}`;
      // distinct records for half the attributes, shared ones for the rest
      device.provenance[name] = i % 2 ? p(`source-${name}`, i / 100) : p('shared', 0.5);
    });
    const decoded = decodeDevice(encodeDevice(device));
    expect(decoded).toEqual(device);
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(JSON.parse(JSON.stringify(device)));
  });

  it('keeps absent attributes absent and a manual clear (provenance without value)', () => {
    const manual: Provenance = { source: 'manual:u', kind: 'manual', confidence: 1, observedAt: '2024-01-01T00:00:00.000Z' };
    const device: Device = {
      id: 'dev_Y',
      name: 'only a name',
      network: { macs: [], ips: [], hostnames: [], aeTitles: [], hl7Applications: [] },
      firstSeen: '2024-01-01T00:00:00.000Z',
      lastSeen: '2024-01-01T00:00:00.000Z',
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
      provenance: { name: manual, room: manual },
      sources: ['manual:u'],
    };
    const decoded = decodeDevice(encodeDevice(device));
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(device);
    expect(decoded.room).toBeUndefined();
    expect(decoded.provenance.room).toEqual(manual);
  });
});
