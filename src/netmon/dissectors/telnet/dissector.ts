/**
 * @module Telnet (RFC 854) presence dissector: recognised by IAC option negotiation, it reports the service
 * at once (a cleartext remote shell is a finding by itself) and, at the end, the options negotiated, the
 * server banner and whether a login or password prompt was seen. Keystrokes are never recorded.
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer } from '../../model.js';
import type { Detection, Dissector } from '../contract.js';
import { flowEmitter, senderOf, type Emit } from '../support/emitter.js';
import { cleanText } from '../support/text.js';

const ID = 'telnet';
const VERSION = '1.0.0';
const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;
const MAX_BANNER_SCAN = 4096;
const MAX_SUBNEGOTIATION = 1024;

const OPTION_NAMES: Record<number, string> = {
  0: 'binary', 1: 'echo', 3: 'suppress-go-ahead', 5: 'status', 6: 'timing-mark', 24: 'terminal-type', 31: 'window-size',
  32: 'terminal-speed', 33: 'remote-flow-control', 34: 'linemode', 35: 'x-display-location', 36: 'environment',
  37: 'authentication', 38: 'encryption', 39: 'new-environment',
};

function detect(b: Uint8Array): Detection {
  if (b.length === 0) return 'need-more';
  if (b[0] !== IAC) return 'no';
  if (b.length < 3) return b.length === 2 && ((b[1] as number) < 0xfb) ? 'no' : 'need-more';
  return (b[1] as number) >= 0xfb ? 'yes' : 'no';
}

type IacState = 'data' | 'iac' | 'option' | 'sb' | 'sb-iac';

class TelnetConsumer implements StreamConsumer {
  private announced = false;
  private readonly state: Record<Direction, IacState> = { c2s: 'data', s2c: 'data' };
  private readonly options = new Set<string>();
  private sbLength = 0;
  private serverText = '';
  private serverBytes = 0;

  constructor(
    private readonly key: FlowKey,
    private readonly emit: Emit,
  ) {}

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    if (!this.announced) {
      this.announced = true;
      this.emit('telnet.present', dir, meta, { server: senderOf(this.key, 's2c') }, [
        { code: 'telnet.present', severity: 'high', message: `Telnet (cleartext remote login) in use on ${senderOf(this.key, 's2c')}` },
      ]);
    }
    let text = '';
    for (let i = 0; i < data.length; i++) {
      const b = data[i] as number;
      switch (this.state[dir]) {
        case 'data':
          if (b === IAC) this.state[dir] = 'iac';
          else if (dir === 's2c' && this.serverBytes + text.length < MAX_BANNER_SCAN) text += String.fromCharCode(b);
          break;
        case 'iac':
          if (b >= 0xfb && b <= 0xfe) this.state[dir] = 'option';
          else if (b === SB) {
            this.state[dir] = 'sb';
            this.sbLength = 0;
          } else this.state[dir] = 'data';
          break;
        case 'option':
          if (this.options.size < 64) this.options.add(OPTION_NAMES[b] ?? `option-${b}`);
          this.state[dir] = 'data';
          break;
        case 'sb':
          // sub-negotiation may carry environment (USER) values: skipped, bounded
          if (b === IAC) this.state[dir] = 'sb-iac';
          else if (++this.sbLength > MAX_SUBNEGOTIATION) this.state[dir] = 'data';
          break;
        case 'sb-iac':
          this.state[dir] = b === SE ? 'data' : 'sb';
          break;
      }
    }
    if (text.length > 0) {
      this.serverText += text;
      this.serverBytes += text.length;
    }
  }

  onClose(reason: string, meta: FrameMeta): void {
    if (!this.announced) return;
    const lines = this.serverText.split(/\r?\n|\r/).map((l) => l.trim()).filter((l) => l.length > 0);
    this.emit('telnet.summary', undefined, meta, {
      options: [...this.options].sort(),
      banner: lines[0] === undefined ? null : cleanText(lines[0], 160),
      loginPrompt: /(login|username)\s*:/i.test(this.serverText),
      passwordPrompt: /password\s*:/i.test(this.serverText),
      closeReason: reason,
    });
  }
}

export const telnetDissector: Dissector = {
  id: ID,
  version: VERSION,
  transport: 'tcp',
  defaultPorts: [23, 2323],
  detect,
  create(key: FlowKey, emit: ObservationSink): StreamConsumer {
    return new TelnetConsumer(key, flowEmitter({ id: ID, version: VERSION }, key, emit));
  },
};
