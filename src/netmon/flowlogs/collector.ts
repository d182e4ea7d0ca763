/**
 * @module `startFlowCollector`: a UDP collector for NetFlow v5, NetFlow v9 and IPFIX (chosen per
 * datagram by its version field) on a configurable address and port. The socket is the only I/O;
 * decoding is the pure FlowDecoder. A failing consumer callback is counted, never fatal, so one
 * bad batch cannot stop collection.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { DomainError } from '../../core/index.js';
import type { FlowLogError } from './errors.js';
import type { FlowLogRecord } from './model.js';
import { FlowDecoder, type FlowDecoderStats, type FlowExporter } from './netflow/decoder.js';
import type { FlowDecoderLimits } from './netflow/templates.js';

export interface FlowCollectorOptions {
  /** address to bind (default 127.0.0.1; "0.0.0.0" or "::" to hear exporters on the network) */
  host?: string;
  /** UDP port (0 picks a free one; NetFlow is conventionally 2055, IPFIX 4739) */
  port: number;
  onRecords: (records: FlowLogRecord[], exporter: FlowExporter) => void;
  onError?: (error: FlowLogError, exporter: FlowExporter | undefined) => void;
  /** only datagrams from these source addresses are decoded (default: any) */
  allowExporters?: readonly string[];
  limits?: Partial<FlowDecoderLimits>;
  /** SO_RCVBUF in bytes; bursts from busy exporters overflow the OS default (default 4 MiB) */
  receiveBufferBytes?: number;
  /** epoch ms for template and hold timeouts (default Date.now) */
  clock?: () => number;
  /** how often held data sets without a template are checked for expiry (default 1000 ms) */
  sweepIntervalMs?: number;
}

export interface FlowCollectorStats extends FlowDecoderStats {
  datagrams: number;
  /** datagrams from addresses not in allowExporters */
  rejectedDatagrams: number;
  /** onRecords/onError calls that threw */
  consumerErrors: number;
  socketErrors: number;
}

export interface FlowCollector {
  /** the bound port (the chosen one when 0 was asked) */
  port: number;
  address: string;
  close(): Promise<void>;
  stats(): FlowCollectorStats;
}

export async function startFlowCollector(opts: FlowCollectorOptions): Promise<FlowCollector> {
  const host = opts.host ?? '127.0.0.1';
  const clock = opts.clock ?? Date.now;
  const decoder = new FlowDecoder(opts.limits);
  const allow = opts.allowExporters ? new Set(opts.allowExporters) : undefined;
  const counters = { datagrams: 0, rejectedDatagrams: 0, consumerErrors: 0, socketErrors: 0 };
  const socket: Socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false });

  const report = (e: FlowLogError, exporter: FlowExporter | undefined) => {
    if (!opts.onError) return;
    try {
      opts.onError(e, exporter);
    } catch {
      counters.consumerErrors++;
    }
  };

  socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
    counters.datagrams++;
    if (allow && !allow.has(rinfo.address)) {
      counters.rejectedDatagrams++;
      return;
    }
    const exporter: FlowExporter = { address: rinfo.address, port: rinfo.port };
    const result = decoder.decode(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), exporter, clock());
    for (const e of result.errors) report(e, exporter);
    if (result.records.length === 0) return;
    try {
      opts.onRecords(result.records, exporter);
    } catch {
      counters.consumerErrors++;
    }
  });

  await new Promise<void>((resolve, reject) => {
    const fail = (e: Error) => {
      socket.close();
      reject(new DomainError('netmon.collector_bind_failed', `cannot listen for flow records on udp ${host}:${opts.port}: ${e.message}`, { status: 500, cause: e }));
    };
    socket.once('error', fail);
    socket.bind(opts.port, host, () => {
      socket.off('error', fail);
      resolve();
    });
  });
  socket.on('error', () => counters.socketErrors++);
  try {
    socket.setRecvBufferSize(opts.receiveBufferBytes ?? 4 * 1024 * 1024);
  } catch {
    // the OS may cap SO_RCVBUF (net.core.rmem_max); the default buffer still works
  }

  const sweep = setInterval(() => {
    for (const e of decoder.sweep(clock())) report(e, undefined);
  }, opts.sweepIntervalMs ?? 1000);
  sweep.unref();

  const bound = socket.address();
  let closed: Promise<void> | undefined;
  return {
    port: bound.port,
    address: bound.address,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        clearInterval(sweep);
        socket.close(() => resolve());
      });
      return closed;
    },
    stats: () => ({ ...decoder.stats(), ...counters }),
  };
}
