/**
 * @module FTP control connection dissector (RFC 959): server banner (software fingerprint), USER/PASS in
 * cleartext (username kept, password reduced to its length), login result, SYST, and AUTH TLS upgrades
 * after which the connection is encrypted and no longer read.
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer } from '../../model.js';
import type { Detection, Dissector } from '../contract.js';
import { flowEmitter, type Emit } from '../support/emitter.js';
import { LineSplitter } from '../support/lines.js';
import { cleanText } from '../support/text.js';

const ID = 'ftp';
const VERSION = '1.0.0';
const MAX_LINE = 1024;
const latin1 = new TextDecoder('latin1');

function detect(b: Uint8Array, dir: Direction, key: FlowKey): Detection {
  const text = latin1.decode(b.subarray(0, 512));
  const eol = text.indexOf('\n');
  if (eol < 0) return b.length < 512 && (dir === 's2c' ? '220 '.startsWith(text.slice(0, 4)) : /^[A-Za-z]{0,4}$/.test(text.slice(0, 4))) ? 'need-more' : 'no';
  const line = text.slice(0, eol);
  if (dir === 'c2s') return /^(USER|AUTH|FEAT|SYST|OPTS) /i.test(line) ? 'yes' : 'no';
  if (!/^220[ -]/.test(line)) return 'no';
  if (/FTP/i.test(line)) return 'yes';
  // a bare "220" greeting is shared with SMTP; only the port can break that tie
  if (/SMTP|mail/i.test(line)) return 'no';
  return key.server.port === 21 || key.server.port === 2121 ? 'yes' : 'no';
}

class FtpConsumer implements StreamConsumer {
  private readonly lines: Record<Direction, LineSplitter>;
  private username: string | null = null;
  private awaitingLogin = false;
  private authTlsRequested = false;
  private encrypted = false;
  private bannerSeen = false;
  private meta: FrameMeta = { frame: 0, ts: 0 };

  constructor(private readonly emit: Emit) {
    this.lines = {
      c2s: new LineSplitter(MAX_LINE, (l) => this.command(l)),
      s2c: new LineSplitter(MAX_LINE, (l) => this.reply(l)),
    };
  }

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    if (this.encrypted) return;
    this.meta = meta;
    this.lines[dir].feed(data);
  }

  private command(line: string): void {
    const sp = line.indexOf(' ');
    const verb = (sp < 0 ? line : line.slice(0, sp)).toUpperCase();
    const arg = sp < 0 ? '' : line.slice(sp + 1);
    if (verb === 'USER') this.username = cleanText(arg, 128);
    else if (verb === 'AUTH') this.authTlsRequested = true;
    else if (verb === 'PASS') {
      const anonymous = this.username !== null && /^(anonymous|ftp)$/i.test(this.username);
      this.awaitingLogin = true;
      this.emit(
        'ftp.credentials',
        'c2s',
        this.meta,
        { username: this.username, passwordLength: arg.length, anonymous },
        [
          {
            code: 'ftp.cleartext-credentials',
            severity: anonymous ? 'low' : 'high',
            message: `FTP ${anonymous ? 'anonymous login' : `password for user "${this.username ?? ''}"`} sent in cleartext`,
          },
        ],
      );
    }
  }

  private reply(line: string): void {
    const m = /^(\d{3})([ -])(.*)$/.exec(line);
    if (!m) return;
    const code = Number(m[1]);
    const text = cleanText(m[3] as string, 200);
    if (code === 220 && !this.bannerSeen) {
      this.bannerSeen = true;
      this.emit('ftp.banner', 's2c', this.meta, { banner: text });
    } else if (code === 215) {
      this.emit('ftp.system', 's2c', this.meta, { system: text });
    } else if ((code === 230 || code === 530) && this.awaitingLogin) {
      this.awaitingLogin = false;
      this.emit('ftp.login-result', 's2c', this.meta, { username: this.username, success: code === 230 });
    } else if (code === 234 && this.authTlsRequested) {
      this.encrypted = true;
      this.emit('ftp.auth-tls', 's2c', this.meta, { accepted: true });
    }
  }
}

export const ftpDissector: Dissector = {
  id: ID,
  version: VERSION,
  transport: 'tcp',
  defaultPorts: [21, 2121],
  detect,
  create(key: FlowKey, emit: ObservationSink): StreamConsumer {
    return new FtpConsumer(flowEmitter({ id: ID, version: VERSION }, key, emit));
  },
};
