import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './client.js';
import { captureContentType, captureUploadName, netmonApi } from './netmon.js';
import type { UploadProgress } from './netmon.js';

interface Call {
  url: string;
  init: RequestInit;
}

function stubFetch(body: unknown): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

/** A stand-in for the browser's XMLHttpRequest: records the request and answers as told. */
class FakeXhr {
  static last: FakeXhr | undefined;
  static answer: { status: number; body: string; headers?: Record<string, string> } = { status: 201, body: '{}' };
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  withCredentials = false;
  status = 0;
  statusText = '';
  responseText = '';
  upload: { onprogress?: (e: { loaded: number; total: number; lengthComputable: boolean }) => void; onload?: () => void } = {};
  onload?: () => void;
  onerror?: () => void;
  onabort?: () => void;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(name: string) {
    return FakeXhr.answer.headers?.[name] ?? null;
  }
  abort() {
    this.onabort?.();
  }
  send(body: unknown) {
    this.body = body;
    FakeXhr.last = this;
    queueMicrotask(() => {
      this.upload.onprogress?.({ loaded: 5, total: 10, lengthComputable: true });
      this.upload.onload?.();
      this.status = FakeXhr.answer.status;
      this.responseText = FakeXhr.answer.body;
      this.onload?.();
    });
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakeXhr.last = undefined;
});

describe('netmon API client', () => {
  it('addresses captures, the map, detections and zones with only the parameters given', async () => {
    const calls = stubFetch({ items: [] });
    await netmonApi.listCaptures({ limit: 26, before: 'cap_1' });
    await netmonApi.listCaptures({});
    await netmonApi.getCapture('cap/1');
    await netmonApi.map({ ip: '10.0.0.5', hops: 1, limit: 200 });
    await netmonApi.map({ zone: 'ICU ward', hops: 0 });
    await netmonApi.detections({ limit: 10 });
    await netmonApi.zones();
    await netmonApi.captureWatch();
    expect(calls.map((c) => c.url)).toEqual([
      '/api/v1/netmon/captures?limit=26&before=cap_1',
      '/api/v1/netmon/captures',
      '/api/v1/netmon/captures/cap%2F1',
      '/api/v1/netmon/map?ip=10.0.0.5&hops=1&limit=200',
      '/api/v1/netmon/map?zone=ICU+ward&hops=0',
      '/api/v1/netmon/detections?limit=10',
      '/api/v1/netmon/zones',
      '/api/v1/netmon/capture-watch',
    ]);
  });

  it('repeats ip once per address for conversations', async () => {
    const calls = stubFetch({ items: [] });
    await netmonApi.conversations({ ips: ['10.0.0.5', 'fe80::1'], from: '2024-01-01T00:00:00Z', limit: 50 });
    await netmonApi.conversations({});
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/netmon/conversations?ip=10.0.0.5&ip=fe80%3A%3A1&from=2024-01-01T00%3A00%3A00Z&limit=50', '/api/v1/netmon/conversations']);
  });
});

describe('capture upload', () => {
  it('chooses the media type the upload route accepts from the file name', () => {
    expect(captureContentType('ward3.PCAP')).toBe('application/vnd.tcpdump.pcap');
    expect(captureContentType('span.pcapng')).toBe('application/x-pcapng');
    expect(captureContentType('conn.log')).toBe('text/plain');
    expect(captureContentType('conn.ndjson')).toBe('application/x-ndjson');
    expect(captureContentType('capture')).toBe('application/octet-stream');
  });

  it('turns a file name into a capture name the route accepts', () => {
    expect(captureUploadName('dicom-dcmtk-loopback.pcap')).toBe('dicom-dcmtk-loopback.pcap');
    expect(captureUploadName('C:\\captures\\ward 3 (ICU).pcap')).toBe('ward 3 _ICU_.pcap');
    expect(captureUploadName('/tmp/ünïcode.pcap')).toBe('_n_code.pcap');
    expect(captureUploadName('x'.repeat(300))).toHaveLength(200);
    expect(captureUploadName('())')).toBeUndefined();
  });

  it('posts the raw file with its media type, the name and the CSRF token from /auth/me, reporting progress', async () => {
    const calls = stubFetch({ user: { id: 'u', username: 'a', role: 'security_analyst' }, csrfToken: 'tok' });
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    FakeXhr.answer = { status: 201, body: JSON.stringify({ captureId: 'cap_1', kind: 'capture', devices: { reported: 2, created: 2, updated: 0, unchanged: 0 }, alerts: { created: 1, folded: 0 }, detections: 0, conversations: 1, packets: 68, flows: 3 }) };
    const file = Object.assign(new Blob([new Uint8Array(10)]), { name: 'dicom loop.pcap' });
    const progress: UploadProgress[] = [];
    const result = await netmonApi.uploadCapture(file, { onProgress: (p) => progress.push(p) });

    expect(calls[0]?.url).toBe('/api/v1/auth/me');
    const xhr = FakeXhr.last;
    expect(xhr).toMatchObject({ method: 'POST', url: '/api/v1/netmon/captures?name=dicom+loop.pcap', withCredentials: true });
    expect(xhr?.headers).toMatchObject({ 'content-type': 'application/vnd.tcpdump.pcap', 'x-csrf-token': 'tok' });
    expect(xhr?.body).toBe(file);
    expect(progress).toEqual([
      { phase: 'uploading', loaded: 5, total: 10 },
      { phase: 'analysing', loaded: 10, total: 10 },
    ]);
    expect(result).toMatchObject({ captureId: 'cap_1', packets: 68, flows: 3 });
  });

  it('turns a refused upload into an ApiError carrying the problem code and byte offset', async () => {
    stubFetch({ user: { id: 'u', username: 'a', role: 'security_analyst' }, csrfToken: 'tok' });
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    FakeXhr.answer = {
      status: 400,
      body: JSON.stringify({ title: 'Bad Request', status: 400, code: 'netmon.unreadable_capture', detail: 'not a pcap or pcapng capture: magic 67 61 72 62', location: { byteOffset: 0 } }),
    };
    const file = Object.assign(new Blob(['garbage']), { name: 'notes.pcap' });
    const error = await netmonApi.uploadCapture(file, { name: 'notes.pcap' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'netmon.unreadable_capture', message: 'not a pcap or pcapng capture: magic 67 61 72 62' });
    expect((error as ApiError).problem['location']).toEqual({ byteOffset: 0 });
  });
});
