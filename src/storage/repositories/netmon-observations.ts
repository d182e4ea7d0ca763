/**
 * @module The observation sample of a capture over Kysely (SQLite and PostgreSQL): multi-row
 * inserts inside the capture's transaction, and keyset-paginated reads in (ts, id) order.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Direction, Transport, WireFinding } from '../../netmon/model.js';
import { isoMicros } from '../../netmon/observation-sample.js';
import type { ObservationFilter, ObservationRow, StoredObservation } from '../../netmon/ports.js';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';
import type { NetmonObservationsTable } from '../tables/netmon.js';
import { insertRows } from './devices-sql.js';

const COLUMNS = ['id', 'capture_id', 'ts', 'frame', 'protocol', 'kind', 'producer', 'transport', 'client_ip', 'client_port', 'server_ip', 'server_port', 'dir', 'fields_json', 'findings_json', 'group_count'] as const;
const INSERT_HEAD = `insert into netmon_observations (${COLUMNS.join(', ')})`;

/**
 * The sample rows in fixed-size multi-row statements (devices-sql.ts: prepared once per connection,
 * no query-builder tree for 108,000 rows of 16 values). A row that holds its fields as JSON text
 * (the ingest's sample) is stored from that text, not parsed and written again.
 */
export async function insertObservations(trx: Transaction<DB>, dialect: Dialect, captureId: string, rows: readonly ObservationRow[]): Promise<void> {
  await insertRows(trx, dialect, INSERT_HEAD, '', COLUMNS.length, rows.length, (out, i) => {
    const row = rows[i]!;
    const kept = row.stored?.();
    const o = kept?.observation ?? row.observation;
    const f = o.flow;
    out.push(
      row.id,
      captureId,
      isoMicros(o.ts),
      o.frame,
      o.protocol,
      o.kind,
      o.producer,
      f?.transport ?? null,
      f?.client.ip ?? null,
      f?.client.port ?? null,
      f?.server.ip ?? null,
      f?.server.port ?? null,
      o.dir ?? null,
      kept?.fieldsJson ?? JSON.stringify(o.fields),
      o.findings && o.findings.length > 0 ? JSON.stringify(o.findings) : null,
      row.groupCount ?? null,
    );
  });
}

function toObservation(r: Selectable<NetmonObservationsTable>): StoredObservation {
  const o: StoredObservation = {
    id: r.id,
    captureId: r.capture_id,
    ts: r.ts,
    frame: Number(r.frame),
    protocol: r.protocol,
    kind: r.kind,
    producer: r.producer,
    fields: JSON.parse(r.fields_json) as Record<string, unknown>,
  };
  if (r.transport !== null && r.client_ip !== null && r.server_ip !== null) {
    o.flow = { transport: r.transport as Transport, client: { ip: r.client_ip, port: Number(r.client_port) }, server: { ip: r.server_ip, port: Number(r.server_port) } };
  }
  if (r.dir !== null) o.dir = r.dir as Direction;
  if (r.findings_json !== null) o.findings = JSON.parse(r.findings_json) as WireFinding[];
  if (r.group_count !== null) o.groupCount = Number(r.group_count);
  return o;
}

export async function selectObservations(db: Kysely<DB>, filter: ObservationFilter, limit: number): Promise<StoredObservation[]> {
  let q = db.selectFrom('netmon_observations').selectAll();
  if (filter.captureId !== undefined) q = q.where('capture_id', '=', filter.captureId);
  if (filter.ip !== undefined) {
    const ip = filter.ip;
    q = q.where((eb) => eb.or([eb('client_ip', '=', ip), eb('server_ip', '=', ip)]));
  }
  if (filter.protocol !== undefined) q = q.where('protocol', '=', filter.protocol);
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  if (filter.from !== undefined) q = q.where('ts', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('ts', '<', filter.to);
  if (filter.after) {
    const { ts, id } = filter.after;
    q = q.where((eb) => eb.or([eb('ts', '>', ts), eb.and([eb('ts', '=', ts), eb('id', '>', id)])]));
  }
  const rows = await q.orderBy('ts').orderBy('id').limit(limit).execute();
  return rows.map(toObservation);
}
