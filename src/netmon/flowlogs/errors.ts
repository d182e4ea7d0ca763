/**
 * @module The one error flow-log parsers report: a DomainError whose code says what is wrong and
 * whose location says where (file and line for logs; exporter, packet sequence and byte offset for
 * NetFlow/IPFIX). Parsers return these rather than throw, so one bad line or packet never stops
 * a log or a collector.
 */
import { DomainError } from '../../core/index.js';
import { describeFlowLogLocation, type FlowLogLocation } from './model.js';

export type FlowLogErrorCode =
  // NetFlow / IPFIX packets
  | 'flowlog.truncated'
  | 'flowlog.unknown-version'
  | 'flowlog.bad-length'
  | 'flowlog.bad-set'
  | 'flowlog.bad-template'
  | 'flowlog.template-limit'
  | 'flowlog.unknown-template'
  | 'flowlog.record-limit'
  | 'flowlog.bad-record'
  // Zeek logs
  | 'zeek.line-too-long'
  | 'zeek.bad-header'
  | 'zeek.not-conn-log'
  | 'zeek.bad-line'
  | 'zeek.bad-json'
  | 'zeek.no-header'
  | 'zeek.read-failed';

export class FlowLogError extends DomainError {
  override readonly code: FlowLogErrorCode;
  readonly where: FlowLogLocation;

  constructor(code: FlowLogErrorCode, message: string, where: FlowLogLocation) {
    const place = describeFlowLogLocation(where);
    super(code, place ? `${place}: ${message}` : message, {
      status: 400,
      location: {
        ...(where.file === undefined ? {} : { file: where.file }),
        ...(where.line === undefined ? {} : { line: where.line }),
        ...(where.byteOffset === undefined ? {} : { byteOffset: where.byteOffset }),
      },
      details: { ...where },
    });
    this.name = 'FlowLogError';
    this.code = code;
    this.where = where;
  }
}

export const isFlowLogError = (e: unknown): e is FlowLogError => e instanceof FlowLogError;
