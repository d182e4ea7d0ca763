import { describe, expect, it } from 'vitest';
import type { FlowSummary } from '../model.js';
import { buildCommunicationMap } from './map.js';
import { ConversationTable } from './table.js';

function flow(client: string, server: string, port: number, bytes: number, firstTs = 1_000_000, id = 1): FlowSummary {
  return {
    id,
    key: { transport: 'tcp', client: { ip: client, port: 40000 + id }, server: { ip: server, port } },
    roleGuessed: false,
    roleSource: 'syn',
    c2s: { packets: 2, bytes: bytes / 2, payloadBytes: 0 },
    s2c: { packets: 2, bytes: bytes / 2, payloadBytes: 0 },
    firstTs,
    lastTs: firstTs + 5_000_000,
    firstFrame: id,
    lastFrame: id + 3,
    closeReason: 'fin',
  };
}

describe('ConversationTable', () => {
  it('folds flows with the same endpoints, server port and protocol, keeping first/last times and frame', () => {
    const t = new ConversationTable();
    t.add(flow('10.0.0.5', '10.0.1.9', 104, 1000, 2_000_000, 7), 'dicom');
    t.add(flow('10.0.0.5', '10.0.1.9', 104, 3000, 1_000_000, 3), 'dicom');
    t.add(flow('10.0.0.5', '10.0.1.9', 443, 500), 'tls');
    const list = t.list();
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ client: '10.0.0.5', server: '10.0.1.9', port: 104, protocol: 'dicom', flows: 2, bytes: 4000, packets: 8, firstFrame: 3, firstSeen: '1970-01-01T00:00:01.000Z', lastSeen: '1970-01-01T00:00:07.000Z' });
  });

  it('stays bounded: new conversations past the cap are counted as dropped, existing ones still grow', () => {
    const t = new ConversationTable(2);
    t.add(flow('a', 'b', 1, 10), 'x');
    t.add(flow('a', 'c', 1, 10), 'x');
    t.add(flow('a', 'd', 1, 70), 'x');
    t.add(flow('a', 'b', 1, 10), 'x');
    expect(t.size).toBe(2);
    expect(t.droppedFlows).toBe(1);
    expect(t.droppedBytes).toBe(70);
    expect(t.list().find((c) => c.server === 'b')?.flows).toBe(2);
  });
});

describe('buildCommunicationMap', () => {
  const t = new ConversationTable();
  t.add(flow('10.0.0.5', '10.0.1.9', 104, 4000), 'dicom');
  t.add(flow('10.0.0.5', '10.0.1.9', 2575, 1000), 'hl7');
  t.add(flow('10.0.1.9', '10.0.2.2', 443, 800), 'tls');
  t.add(flow('10.0.3.3', '10.0.4.4', 80, 900), 'http');
  const convs = t.list();
  const info = (ip: string) => (ip === '10.0.0.5' ? { deviceId: 'dev_1', name: 'CT 1', zone: 'imaging' } : undefined);

  it('keeps only conversations touching the focus, one edge per pair with its protocols and ports', () => {
    const m = buildCommunicationMap(convs, { focus: new Set(['10.0.0.5']) }, info);
    expect(m.edges).toEqual([expect.objectContaining({ client: '10.0.0.5', server: '10.0.1.9', protocols: ['dicom', 'hl7'], ports: [104, 2575], flows: 2, bytes: 5000 })]);
    expect(m.nodes).toEqual([
      { ip: '10.0.0.5', deviceId: 'dev_1', name: 'CT 1', zone: 'imaging', focus: true },
      { ip: '10.0.1.9', focus: false },
    ]);
  });

  it('with one hop adds conversations among the peers, and truncates by bytes past the limit', () => {
    const m = buildCommunicationMap(convs, { focus: new Set(['10.0.0.5']), hops: 1 }, info);
    expect(m.edges.map((e) => `${e.client}>${e.server}`)).toEqual(['10.0.0.5>10.0.1.9']);
    const wide = buildCommunicationMap(convs, { focus: new Set(['10.0.1.9']), hops: 1, limit: 1 }, info);
    expect(wide.edges).toHaveLength(1);
    expect(wide.truncated).toBe(1);
  });
});
