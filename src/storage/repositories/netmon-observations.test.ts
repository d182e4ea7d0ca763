/**
 * The observation sample of a capture (migration 0008) on both engines: stored with the capture in
 * multi-row batches, read back in (ts, id) order with filters and a keyset cursor, and deleted with
 * its capture.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Observation } from '../../netmon/model.js';
import type { CaptureRecord, NetmonStore, ObservationRow, StoredObservation } from '../../netmon/ports.js';
import type { DatabaseHandle } from '../database.js';
import { describeEachEngine } from '../testing/engines.js';
import { createNetmonRepository } from './netmon.js';

const capture = (id: string): CaptureRecord => ({
  id,
  name: `${id}.pcap`,
  kind: 'capture',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:01:00.000Z',
  bytes: 1,
  packets: 1,
  flows: 1,
  devices: 0,
  detections: 0,
  summary: {},
  ingestedBy: 'tester',
});

const T0 = Date.parse('2026-01-01T00:00:00.000Z') * 1000;
const row = (id: string, us: number, kind: string, client: string, server: string, port: number, extra: Partial<Observation> = {}, groupCount?: number): ObservationRow => ({
  id,
  observation: {
    protocol: kind.split('.')[0]!,
    kind,
    producer: `${kind.split('.')[0]}@1`,
    ts: T0 + us,
    frame: us + 1,
    flow: { transport: 'tcp', client: { ip: client, port: 50000 }, server: { ip: server, port } },
    dir: 'c2s',
    fields: { seq: us },
    ...extra,
  },
  ...(groupCount === undefined ? {} : { groupCount }),
});

const ids = (xs: StoredObservation[]) => xs.map((x) => x.id);

describeEachEngine('netmon observations', (engine) => {
  let h: DatabaseHandle;
  let repo: NetmonStore;
  beforeEach(async () => {
    h = await engine.open();
    repo = createNetmonRepository(h.db, h.dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('stores an observation with its flow, fields, findings and group count, ts with microseconds', async () => {
    const hello = row('o1', 123_456, 'tls.client-hello', '10.0.0.5', '10.0.0.9', 443, { fields: { ja3: 'abc', ja4: 't13d', sni: 'pacs.local', nested: { a: [1, 2] } }, findings: [{ code: 'tls.legacy-version', severity: 'medium', message: 'TLS 1.0' }] }, 7);
    await repo.insertCapture(capture('cap_a'), [], [hello]);
    const [got] = await repo.observations({}, 10);
    expect(got).toEqual({
      id: 'o1',
      captureId: 'cap_a',
      ts: '2026-01-01T00:00:00.123456Z',
      frame: 123_457,
      protocol: 'tls',
      kind: 'tls.client-hello',
      producer: 'tls@1',
      flow: { transport: 'tcp', client: { ip: '10.0.0.5', port: 50000 }, server: { ip: '10.0.0.9', port: 443 } },
      dir: 'c2s',
      fields: { ja3: 'abc', ja4: 't13d', sni: 'pacs.local', nested: { a: [1, 2] } },
      findings: [{ code: 'tls.legacy-version', severity: 'medium', message: 'TLS 1.0' }],
      groupCount: 7,
    });
  });

  it('stores an observation without a flow or direction as such', async () => {
    const { flow: _f, dir: _d, ...bare } = row('o1', 1, 'arp.sighting', '', '', 0).observation;
    await repo.insertCapture(capture('cap_a'), [], [{ id: 'o1', observation: bare }]);
    const [got] = await repo.observations({}, 10);
    expect(got).toEqual({ id: 'o1', captureId: 'cap_a', ts: '2026-01-01T00:00:00.000001Z', frame: 2, protocol: 'arp', kind: 'arp.sighting', producer: 'arp@1', fields: { seq: 1 } });
  });

  it('filters by capture, address (client or server), protocol, kind and time window', async () => {
    await repo.insertCapture(capture('cap_a'), [], [
      row('a1', 1_000, 'hl7.message', '10.0.0.1', '10.0.0.2', 2575),
      row('a2', 2_000, 'dicom.associate-rq', '10.0.0.3', '10.0.0.1', 104),
      row('a3', 3_000, 'dicom.c-store-rq', '10.0.0.3', '10.0.0.4', 104),
    ]);
    await repo.insertCapture(capture('cap_b'), [], [row('b1', 1_500, 'hl7.message', '10.0.0.7', '10.0.0.2', 2575)]);
    expect(ids(await repo.observations({}, 10))).toEqual(['a1', 'b1', 'a2', 'a3']);
    expect(ids(await repo.observations({ captureId: 'cap_b' }, 10))).toEqual(['b1']);
    expect(ids(await repo.observations({ ip: '10.0.0.1' }, 10))).toEqual(['a1', 'a2']);
    expect(ids(await repo.observations({ protocol: 'dicom' }, 10))).toEqual(['a2', 'a3']);
    expect(ids(await repo.observations({ kind: 'hl7.message', ip: '10.0.0.2' }, 10))).toEqual(['a1', 'b1']);
    // from inclusive, to exclusive, compared at microsecond precision
    expect(ids(await repo.observations({ from: '2026-01-01T00:00:00.001500Z', to: '2026-01-01T00:00:00.003000Z' }, 10))).toEqual(['b1', 'a2']);
    expect(ids(await repo.observations({ captureId: 'cap_none' }, 10))).toEqual([]);
  });

  it('pages in (ts, id) order with a keyset, equal timestamps included exactly once', async () => {
    const rows = ['e', 'c', 'a', 'd', 'b'].map((id) => row(id, 5, 'hl7.message', '10.0.0.1', '10.0.0.2', 2575));
    rows.push(row('z', 1, 'hl7.message', '10.0.0.1', '10.0.0.2', 2575));
    await repo.insertCapture(capture('cap_a'), [], rows);
    const first = await repo.observations({}, 3);
    expect(ids(first)).toEqual(['z', 'a', 'b']);
    const last = first[2]!;
    expect(ids(await repo.observations({ after: { ts: last.ts, id: last.id } }, 3))).toEqual(['c', 'd', 'e']);
    expect(ids(await repo.observations({ after: { ts: '2026-01-01T00:00:00.000005Z', id: 'e' } }, 3))).toEqual([]);
  });

  it('inserts thousands of observations in batches within the capture transaction', async () => {
    const many = Array.from({ length: 2_345 }, (_, i) => row(`o${String(i).padStart(5, '0')}`, i, 'hl7.message', `10.0.${i % 7}.1`, '10.0.0.2', 2575));
    await repo.insertCapture(capture('cap_a'), [], many);
    const all = await repo.observations({ captureId: 'cap_a' }, 5_000);
    expect(all).toHaveLength(2_345);
    expect(all[2_344]).toMatchObject({ id: 'o02344', frame: 2_345 });
    // a failing insert (duplicate capture id) leaves none of its observations behind
    await expect(repo.insertCapture(capture('cap_a'), [], [row('other', 1, 'hl7.message', '10.0.0.1', '10.0.0.2', 1)])).rejects.toThrow();
    expect(ids(await repo.observations({ kind: 'hl7.message', ip: '10.0.0.1', to: '2026-01-01T00:00:00.000002Z' }, 10))).toEqual(['o00000']);
  });

  it('deletes the observations of a deleted capture', async () => {
    await repo.insertCapture(capture('cap_a'), [], [row('a1', 1, 'hl7.message', '10.0.0.1', '10.0.0.2', 2575)]);
    await repo.insertCapture(capture('cap_b'), [], [row('b1', 2, 'hl7.message', '10.0.0.1', '10.0.0.2', 2575)]);
    await h.db.deleteFrom('netmon_captures').where('id', '=', 'cap_a').execute();
    expect(ids(await repo.observations({}, 10))).toEqual(['b1']);
  });
});
