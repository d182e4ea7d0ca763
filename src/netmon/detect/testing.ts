/**
 * @module Test support: drives a DetectionEngine with synthetic flows and observations in capture
 * time, numbering frames and flows the way the capture pipeline does, so rule tests read as
 * scenarios ("at 10:00 the pump talks to the PACS; after the window it talks to 8.8.8.8").
 */
import type { Direction, FlowKey, FlowSummary, Micros, Observation, Severity, Transport } from '../model.js';
import { DetectionEngine, type DetectionEngineOptions } from './engine.js';
import type { Detection } from './model.js';
import { parsePolicy } from './policy-validate.js';

export const T0: Micros = Date.UTC(2026, 0, 5, 0, 0, 0) * 1000;
export const SECOND = 1_000_000;
export const HOUR = 3600 * SECOND;

export interface FlowSpec {
  client: string;
  server: string;
  port: number;
  transport?: Transport;
  clientPort?: number;
  /** start, µs since T0 (default: the simulator's clock) */
  at?: Micros;
  durationUs?: Micros;
  bytes?: number;
  packets?: number;
  /** payload bytes each way (default: some both ways, i.e. an exchange) */
  payload?: { c2s: number; s2c: number };
  protocol?: string;
}

export interface ObservationSpec {
  kind: string;
  protocol?: string;
  fields?: Record<string, unknown>;
  findings?: Array<{ code: string; severity: Severity; message: string }>;
  dir?: Direction;
  at?: Micros;
}

export class Sim {
  readonly engine: DetectionEngine;
  now: Micros = T0;
  private frame = 0;
  private flowId = 0;
  private clientPort = 40_000;

  constructor(opts: DetectionEngineOptions & { policyJson?: unknown } = {}) {
    const { policyJson, ...rest } = opts;
    this.engine = new DetectionEngine({ source: 'sim.pcap', ...rest, ...(policyJson === undefined ? {} : { policy: parsePolicy(policyJson) }) });
  }

  key(spec: FlowSpec): FlowKey {
    return { transport: spec.transport ?? 'tcp', client: { ip: spec.client, port: spec.clientPort ?? this.clientPort++ }, server: { ip: spec.server, port: spec.port } };
  }

  /** Starts a flow; returns its key and id for observations, and `end()` to finish it. */
  open(spec: FlowSpec): { key: FlowKey; id: number; end: () => FlowSummary } {
    const start = spec.at === undefined ? this.now : T0 + spec.at;
    if (start > this.now) this.now = start;
    const key = this.key(spec);
    const id = ++this.flowId;
    const firstFrame = ++this.frame;
    this.engine.onFlowStart(key, { id, first: { frame: firstFrame, ts: start } });
    return {
      key,
      id,
      end: () => {
        const last = start + (spec.durationUs ?? 1000);
        if (last > this.now) this.now = last;
        const bytes = spec.bytes ?? 1000;
        const packets = spec.packets ?? 10;
        const payload = spec.payload ?? { c2s: 100, s2c: 100 };
        const s: FlowSummary = {
          id,
          key,
          roleGuessed: false,
          roleSource: 'syn',
          c2s: { packets: Math.ceil(packets / 2), bytes: Math.ceil(bytes / 2), payloadBytes: payload.c2s },
          s2c: { packets: Math.floor(packets / 2), bytes: Math.floor(bytes / 2), payloadBytes: payload.s2c },
          firstTs: start,
          lastTs: last,
          firstFrame,
          lastFrame: ++this.frame,
          closeReason: 'fin',
        };
        this.engine.onFlowEnd(s, spec.protocol ?? key.transport);
        return s;
      },
    };
  }

  /** A whole flow: start and end. */
  flow(spec: FlowSpec): FlowSummary {
    return this.open(spec).end();
  }

  observe(key: FlowKey, flowId: number, spec: ObservationSpec): Observation {
    const ts = spec.at === undefined ? this.now : T0 + spec.at;
    if (ts > this.now) this.now = ts;
    const o: Observation = {
      protocol: spec.protocol ?? spec.kind.slice(0, spec.kind.indexOf('.')),
      kind: spec.kind,
      producer: 'sim@1.0.0',
      ts,
      frame: ++this.frame,
      flow: key,
      ...(spec.dir === undefined ? { dir: 'c2s' as const } : { dir: spec.dir }),
      fields: spec.fields ?? {},
      ...(spec.findings ? { findings: spec.findings } : {}),
    };
    this.engine.onObservation(o, flowId);
    return o;
  }

  finish(): Detection[] {
    return this.engine.finish();
  }

  of(rule: string): Detection[] {
    return this.engine.detections().filter((d) => d.rule === rule);
  }
}
