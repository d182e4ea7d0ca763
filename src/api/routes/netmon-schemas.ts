/**
 * @module Schemas the passive-monitoring routes share (netmon.ts): the tag, the small scalar types, and
 * the response shapes of captures, conversations, map nodes and edges and stored observations.
 */
import { Type } from 'typebox';

export const tags = ['netmon'];
export const Opt = Type.Optional;
export const Iso = Type.String({ format: 'date-time' });
export const Count = Type.Integer({ minimum: 0 });
export const IpText = Type.String({ minLength: 2, maxLength: 45, pattern: '^[0-9A-Fa-f:.]+$' });

export const CaptureSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    kind: Type.String(),
    startedAt: Type.String(),
    finishedAt: Type.String(),
    firstSeen: Opt(Type.String()),
    lastSeen: Opt(Type.String()),
    bytes: Count,
    packets: Count,
    flows: Count,
    devices: Count,
    detections: Count,
    summary: Type.Record(Type.String(), Type.Unknown()),
    ingestedBy: Type.String(),
    /** the capture file of a rotating directory ingested with --follow (what tells it is already in) */
    source: Opt(Type.Object({ path: Type.String(), bytes: Count, modifiedAt: Type.String() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const ConversationSchema = Type.Object(
  { client: Type.String(), server: Type.String(), port: Count, transport: Type.String(), protocol: Type.String(), flows: Count, packets: Count, bytes: Count, firstSeen: Type.String(), lastSeen: Type.String(), firstFrame: Count },
  { additionalProperties: false },
);

export const NodeSchema = Type.Object(
  { ip: Type.String(), deviceId: Opt(Type.String()), name: Opt(Type.String()), category: Opt(Type.String()), criticality: Opt(Type.String()), zone: Opt(Type.String()), focus: Type.Boolean() },
  { additionalProperties: false },
);
export const EdgeSchema = Type.Object(
  { client: Type.String(), server: Type.String(), protocols: Type.Array(Type.String()), ports: Type.Array(Count), flows: Count, packets: Count, bytes: Count, firstSeen: Type.String(), lastSeen: Type.String() },
  { additionalProperties: false },
);

const EndpointSchema = Type.Object({ ip: Type.String(), port: Count }, { additionalProperties: false });
export const ObservationSchema = Type.Object(
  {
    id: Type.String(),
    captureId: Type.String(),
    /** capture time, ISO-8601 UTC with microseconds */
    ts: Type.String(),
    frame: Count,
    protocol: Type.String(),
    kind: Type.String(),
    /** dissector id@version */
    producer: Type.String(),
    flow: Opt(Type.Object({ transport: Type.String(), client: EndpointSchema, server: EndpointSchema }, { additionalProperties: false })),
    dir: Opt(Type.Union([Type.Literal('c2s'), Type.Literal('s2c')])),
    fields: Type.Record(Type.String(), Type.Unknown()),
    findings: Opt(Type.Array(Type.Object({ code: Type.String(), severity: Type.String(), message: Type.String() }, { additionalProperties: false }))),
    /** every observation of its (kind, client, server, port) group in the capture, on the group's last stored one */
    groupCount: Opt(Count),
  },
  { additionalProperties: false },
);
