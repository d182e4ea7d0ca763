/**
 * @module Builds Observations for one flow so every dissector stamps protocol, producer (id@version), flow,
 * direction and frame evidence the same way.
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, WireFinding } from '../../model.js';
import { producerOf, type Dissector } from '../contract.js';

export type Emit = (
  kind: string,
  dir: Direction | undefined,
  meta: FrameMeta,
  fields: Record<string, unknown>,
  findings?: readonly WireFinding[],
) => void;

export function flowEmitter(d: Pick<Dissector, 'id' | 'version'>, key: FlowKey, sink: ObservationSink, protocol = d.id): Emit {
  const producer = producerOf(d);
  // one literal per shape instead of object spreads: emitted for every message, and the property order
  // (dir before fields, findings last) is what serialised observations are compared by
  return (kind, dir, meta, fields, findings) => {
    const withFindings = findings !== undefined && findings.length > 0;
    if (dir === undefined) {
      sink(
        withFindings
          ? { protocol, kind, producer, ts: meta.ts, frame: meta.frame, flow: key, fields, findings: findings.slice() }
          : { protocol, kind, producer, ts: meta.ts, frame: meta.frame, flow: key, fields },
      );
    } else {
      sink(
        withFindings
          ? { protocol, kind, producer, ts: meta.ts, frame: meta.frame, flow: key, dir, fields, findings: findings.slice() }
          : { protocol, kind, producer, ts: meta.ts, frame: meta.frame, flow: key, dir, fields },
      );
    }
  };
}

/** Which endpoint sent in `dir`, for messages like "client 10.0.0.5 sent ..." */
export const senderOf = (key: FlowKey, dir: Direction): string => {
  const e = dir === 'c2s' ? key.client : key.server;
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
};
