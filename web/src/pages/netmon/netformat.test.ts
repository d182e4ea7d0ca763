import { describe, expect, it } from 'vitest';
import {
  captureKindLabel,
  segmentFacts,
  segmentLabel,
  captureProtocols,
  compareIp,
  conduitServiceLabel,
  criticalityTone,
  detectionCategoryLabel,
  edgeDescription,
  edgeSummary,
  edgeWidth,
  formatBytes,
  formatPorts,
  MAX_EDGE_WIDTH,
  MIN_EDGE_WIDTH,
  NODE_LABEL_MAX,
  protocolLabel,
  nodeLabel,
  nodeSubLabel,
} from './netformat.js';

const edge = { client: '10.0.0.5', server: '10.0.0.9', protocols: ['dicom'], ports: [104], flows: 3, packets: 68, bytes: 68232, firstSeen: '2024-01-01T00:00:00Z', lastSeen: '2024-01-01T00:01:00Z' };

describe('formatBytes', () => {
  it('uses decimal units with one decimal below 100', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(68232)).toBe('68.2 kB');
    expect(formatBytes(123_456_789)).toBe('123 MB');
    expect(formatBytes(2.5e12)).toBe('2.5 TB');
  });

  it('shows a dash for values that are not byte counts', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('compareIp', () => {
  it('orders IPv4 numerically, before IPv6 which orders as text', () => {
    expect(['10.0.0.10', 'fe80::1', '10.0.0.9', '2001:db8::1', '9.255.0.1'].sort(compareIp)).toEqual(['9.255.0.1', '10.0.0.9', '10.0.0.10', '2001:db8::1', 'fe80::1']);
    expect(compareIp('10.0.0.1', '10.0.0.1')).toBe(0);
  });
});

describe('edgeWidth', () => {
  it('grows with bytes on a log scale between the minimum and maximum width', () => {
    expect(edgeWidth(0, 1000)).toBe(MIN_EDGE_WIDTH);
    expect(edgeWidth(1000, 0)).toBe(MIN_EDGE_WIDTH);
    expect(edgeWidth(1000, 1000)).toBe(MAX_EDGE_WIDTH);
    const small = edgeWidth(1_000, 1_000_000_000);
    const mid = edgeWidth(1_000_000, 1_000_000_000);
    expect(small).toBeGreaterThan(MIN_EDGE_WIDTH);
    expect(mid).toBeGreaterThan(small);
    expect(mid).toBeLessThan(MAX_EDGE_WIDTH);
  });
});

describe('node labels', () => {
  it('name the device when known and the address otherwise, with the zone on the second line', () => {
    expect(nodeLabel({ ip: '10.0.0.5' })).toBe('10.0.0.5');
    expect(nodeLabel({ ip: '10.0.0.5', name: 'STORESCP' })).toBe('STORESCP');
    expect(nodeSubLabel({ ip: '10.0.0.5', name: 'STORESCP', zone: 'imaging' })).toBe('10.0.0.5 · imaging');
    expect(nodeSubLabel({ ip: '10.0.0.5', zone: 'imaging' })).toBe('imaging');
    expect(nodeSubLabel({ ip: '10.0.0.5' })).toBe('');
  });

  it('truncates long names so labels fit the space the layout leaves', () => {
    const label = nodeLabel({ ip: '10.0.0.5', name: 'Radiology reading room workstation 4' });
    expect(label).toHaveLength(NODE_LABEL_MAX);
    expect(label.endsWith('…')).toBe(true);
  });
});

describe('formatPorts', () => {
  it('sorts, removes repeats and folds three or more consecutive ports into a range', () => {
    expect(formatPorts([11114, 104, 11112, 11113, 104])).toBe('104, 11112–11114');
    expect(formatPorts([80, 81])).toBe('80, 81');
    expect(formatPorts([])).toBe('');
  });

  it('shortens long lists with "+N more"', () => {
    expect(formatPorts([1, 3, 5, 7, 9, 11, 13, 15], 3)).toBe('1, 3, 5 +5 more');
  });
});

describe('edge text', () => {
  it('summarises protocols and ports, and describes who talks to whom for screen readers', () => {
    expect(edgeSummary(edge)).toBe('DICOM · port 104');
    expect(edgeSummary({ protocols: ['hl7', 'unknown'], ports: [2575, 6661] })).toBe('HL7, unidentified · ports 2575, 6661');
    expect(edgeSummary({ protocols: [], ports: [] })).toBe('unidentified');
    const names = new Map([['10.0.0.9', 'PACS']]);
    expect(edgeDescription(edge, (ip) => names.get(ip) ?? ip)).toBe('10.0.0.5 to PACS: DICOM · port 104, 3 flows, 68.2 kB');
    expect(edgeDescription({ ...edge, server: edge.client, flows: 1 }, (ip) => ip)).toBe('10.0.0.5 to itself: DICOM · port 104, 1 flow, 68.2 kB');
  });
});

describe('protocolLabel', () => {
  it('writes protocol acronyms in capitals, other names in sentence case, and unknown as unidentified', () => {
    expect(['dicom', 'http', 'mqtt', 'telnet', 'unknown', 'modbus-tcp'].map(protocolLabel)).toEqual(['DICOM', 'HTTP', 'MQTT', 'Telnet', 'unidentified', 'Modbus tcp']);
  });
});

describe('detectionCategoryLabel', () => {
  it('names the protocol of a dotted category and reads the rest in words', () => {
    expect(detectionCategoryLabel('dicom.cleartext-phi')).toBe('DICOM: Cleartext PHI');
    expect(detectionCategoryLabel('baseline.new-peer')).toBe('Baseline: New peer');
    expect(detectionCategoryLabel('exposure')).toBe('Exposure');
    expect(detectionCategoryLabel('odd.')).toBe('Odd.');
  });
});

describe('conduitServiceLabel', () => {
  it('reads each allowed service in words', () => {
    expect(conduitServiceLabel({ protocol: 'dicom', transport: 'tcp', ports: [{ from: 104, to: 104 }] })).toBe('DICOM TCP port 104');
    expect(conduitServiceLabel({ protocol: 'hl7', ports: [{ from: 2575, to: 2575 }, { from: 6660, to: 6669 }] })).toBe('HL7 ports 2575, 6660–6669');
    expect(conduitServiceLabel({ ports: [{ from: 443, to: 443 }] })).toBe('any protocol on port 443');
    expect(conduitServiceLabel({ transport: 'udp', ports: [] })).toBe('UDP');
    expect(conduitServiceLabel({ ports: [] })).toBe('any traffic');
  });
});

describe('capture summary helpers', () => {
  it('reads protocol counts largest first and ignores malformed entries', () => {
    const summary = {
      protocols: [
        { protocol: 'dns', flows: 2, observations: 2, packets: 4, bytes: 400 },
        { protocol: 'dicom', flows: 3, observations: 24, packets: 68, bytes: 68232 },
        { protocol: 42 },
        'junk',
      ],
    };
    expect(captureProtocols(summary as Record<string, unknown>).map((p) => p.protocol)).toEqual(['dicom', 'dns']);
    expect(captureProtocols(undefined)).toEqual([]);
    expect(captureProtocols({ protocols: 'nope' } as Record<string, unknown>)).toEqual([]);
  });

  it('labels capture kinds and criticality tones', () => {
    expect(captureKindLabel('capture')).toBe('Packet capture');
    expect(segmentLabel(undefined)).toBeUndefined();
    const segment = { session: 'ses_1', index: 3, final: false, firstFrame: 120001, flowsCarriedIn: 12, flowsOpen: 9 };
    expect(segmentLabel(segment)).toBe('segment 3');
    expect(segmentLabel({ ...segment, final: true, flowsOpen: 0 })).toBe('segment 3 (last)');
    expect(segmentFacts(segment)).toBe('segment 3 of run ses_1, frames from 120,001: 12 open flows carried in from the segment before; 9 open flows carried on into the next');
    expect(segmentFacts({ ...segment, flowsCarriedIn: 1, flowsOpen: 1 })).toBe('segment 3 of run ses_1, frames from 120,001: 1 open flow carried in from the segment before; 1 open flow carried on into the next');
    expect(segmentFacts({ ...segment, index: 1, flowsCarriedIn: 0, final: true })).toBe('segment 1 (last) of run ses_1, frames from 120,001: no flows carried in; every flow ended in it');
    // one file of a followed directory's run
    expect(segmentLabel({ ...segment, perFile: true })).toBe('file 3');
    expect(segmentFacts({ ...segment, perFile: true })).toBe("file 3 of run ses_1, run frames from 120,001 (the file's frame 1): 12 open flows carried in from the file before; 9 open flows carried on into the next");
    expect(captureKindLabel('flow-log')).toBe('Flow log');
    expect(criticalityTone('life-sustaining')).toBe('life-sustaining');
    expect(criticalityTone('made-up')).toBe('unknown');
    expect(criticalityTone(undefined)).toBe('unknown');
  });
});
