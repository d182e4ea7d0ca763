/**
 * @module The observation a dispatcher records when its dissector fails on a flow: `<protocol>.malformed`
 * for a DissectorError, `<protocol>.dissector-fault` for anything else (a bug in that dissector).
 */
import type { Direction, FlowKey, FrameMeta, Observation } from '../model.js';
import { producerOf, type Dissector } from './contract.js';
import { isDissectorError } from './errors.js';

/** `dir`: the direction that failed, undefined when the flow's close did. */
export function malformedObservation(d: Dissector, key: FlowKey, e: unknown, dir: Direction | undefined, meta: FrameMeta): Observation {
  const typed = isDissectorError(e);
  return {
    protocol: d.id,
    kind: typed ? `${d.id}.malformed` : `${d.id}.dissector-fault`,
    producer: producerOf(d),
    ts: meta.ts,
    frame: meta.frame,
    flow: key,
    ...(dir === undefined ? {} : { dir }),
    fields: typed
      ? { code: e.code, message: e.message, byteOffset: e.byteOffset, stoppedDirection: dir !== undefined && key.transport === 'tcp' }
      : { code: 'netmon.dissector-fault', message: e instanceof Error ? e.message : String(e), stoppedDirection: true },
  };
}
