/**
 * @module The observation sample of a capture over Kysely (SQLite and PostgreSQL): multi-row
 * inserts inside the capture's transaction, and keyset-paginated reads in (ts, id) order.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Direction, Transport, WireFinding } from '../../netmon/model.js';
import { isoMicros } from '../../netmon/observation-sample.js';
import type { ObservationFilter, ObservationRow, StoredObservation } from '../../netmon/ports.js';
import type { DB } from '../schema.js';
import type { NetmonObservationsTable } from '../tables/netmon.js';

/** 16 values per row: 1,000 rows stay under SQLite's 32,766 and PostgreSQL's 65,535 parameters */
const CHUNK = 1000;

export async function insertObservations(trx: Transaction<DB>, captureId: string, rows: readonly ObservationRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto('netmon_observations')
      .values(
        rows.slice(i, i + CHUNK).map(({ id, observation: o, groupCount }) => ({
          id,
          capture_id: captureId,
          ts: isoMicros(o.ts),
          frame: o.frame,
          protocol: o.protocol,
          kind: o.kind,
          producer: o.producer,
          transport: o.flow?.transport ?? null,
          client_ip: o.flow?.client.ip ?? null,
          client_port: o.flow?.client.port ?? null,
          server_ip: o.flow?.server.ip ?? null,
          server_port: o.flow?.server.port ?? null,
          dir: o.dir ?? null,
          fields_json: JSON.stringify(o.fields),
          findings_json: o.findings && o.findings.length > 0 ? JSON.stringify(o.findings) : null,
          group_count: groupCount ?? null,
        })),
      )
      .execute();
  }
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
