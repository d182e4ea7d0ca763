/** @module DICOM association requests awaiting their answer, shared by the DICOM rules. */
import type { Observation } from '../../model.js';
import { LruMap } from './support.js';

export interface AssociationRequest {
  o: Observation;
  flowId?: number;
  callingAe: string;
  calledAe: string;
}

/** what ends the wait for an answer: the answer itself, or the association ending without one */
const ANSWERS = new Set(['dicom.associate-ac', 'dicom.associate-rj', 'dicom.association-summary', 'dicom.abort']);

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Requests by flow, bounded (the least recent dropped beyond `max`, counted in `evicted`). */
export class PendingAssociations {
  private readonly pending: LruMap<string, AssociationRequest>;

  constructor(max: number) {
    this.pending = new LruMap<string, AssociationRequest>(max);
  }

  /**
   * Records an A-ASSOCIATE-RQ (returns undefined); for an observation that answers or ends the
   * association of a waiting request, returns that request and forgets it.
   */
  observe(o: Observation, flowId: number | undefined): AssociationRequest | undefined {
    if (o.protocol !== 'dicom') return undefined;
    const key = flowId !== undefined ? `#${flowId}` : o.flow ? `${o.flow.client.ip}:${o.flow.client.port}>${o.flow.server.ip}:${o.flow.server.port}` : undefined;
    if (key === undefined) return undefined;
    if (o.kind === 'dicom.associate-rq') {
      const callingAe = text(o.fields.callingAe);
      const calledAe = text(o.fields.calledAe);
      if (callingAe !== undefined && calledAe !== undefined) this.pending.set(key, { o, callingAe, calledAe, ...(flowId === undefined ? {} : { flowId }) });
      return undefined;
    }
    if (!ANSWERS.has(o.kind)) return undefined;
    const req = this.pending.get(key);
    if (req) this.pending.delete(key);
    return req;
  }

  /** every request still waiting, forgotten */
  drain(): AssociationRequest[] {
    const all = [...this.pending.values()];
    this.pending.clear();
    return all;
  }

  get size(): number {
    return this.pending.size;
  }

  get evicted(): number {
    return this.pending.evicted;
  }
}
