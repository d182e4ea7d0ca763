/**
 * @module Valid conversations per dissector: the starting points that property tests mutate, so mutations
 * reach deep into each parser instead of failing at the first byte.
 */
import type { Dissector } from '../../../../src/netmon/dissectors/contract.js';
import { DEFAULT_DISSECTORS } from '../../../../src/netmon/dissectors/registry.js';
import { associateAc, associateRj, associateRq, abort, commandSet, pData, pdv, releaseRp, releaseRq } from '../../../../src/netmon/dissectors/testing/dicom.js';
import { cancelledFind, mpps, storageCommitment, storeForMove, studyGet, studyMove, worklistFind } from '../../../../src/netmon/dissectors/testing/dicom-services.js';
import { ascii, concat, u16be, type Step } from '../../../../src/netmon/dissectors/testing/harness.js';
import { connack, connect, publish, subscribe } from '../../../../src/netmon/dissectors/testing/mqtt.js';
import { rdpConfirm, rdpRequest, smb1Negotiate, smb2Negotiate } from '../../../../src/netmon/dissectors/testing/tcp.js';
import { EXPIRED_CERT_DER, certificateMessage, clientHello, records, serverHello } from '../../../../src/netmon/dissectors/testing/tls.js';
import { dhcp, dnsMessage, dnsName, rr, snmp, txt } from '../../../../src/netmon/dissectors/testing/udp.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const rqOptions = {
  calling: 'CT1', called: 'PACS', versionName: 'OFFIS_DCMTK_367',
  contexts: [{ id: 1, abstractSyntax: CT, transferSyntaxes: ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1'] }],
  identity: { type: 2, primary: 'user', secondary: 'pass', positive: true },
};

const hl7 = (text: string) => concat(Uint8Array.of(0x0b), ascii(text), Uint8Array.of(0x1c, 0x0d));

export const SEEDS: Record<string, Step[][]> = {
  dicom: [
    [
      ['c2s', associateRq(rqOptions)],
      ['s2c', associateAc({ ...rqOptions, results: [{ id: 1, result: 0, transferSyntax: '1.2.840.10008.1.2' }], identityResponse: ascii('ok') })],
      ['c2s', pData(pdv(1, 3, commandSet({ command: 1, sopClassUid: CT, messageId: 1, dataSet: true })), pdv(1, 2, new Uint8Array(50)))],
      ['s2c', pData(pdv(1, 3, commandSet({ command: 0x8001, sopClassUid: CT, respondingTo: 1, status: 0 })))],
      ['c2s', releaseRq()],
      ['s2c', releaseRp()],
    ],
    [['c2s', associateRq(rqOptions)], ['s2c', associateRj(1, 1, 3)], ['c2s', abort(0, 0)]],
    // query/retrieve, worklist, storage commitment and MPPS: mutations reach the N-* and sub-operation elements
    worklistFind(),
    cancelledFind(),
    studyMove(),
    storeForMove(),
    studyGet(),
    storageCommitment(),
    mpps(),
  ],
  hl7: [
    [
      ['c2s', hl7('MSH|^~\\&|A|B|C|D|2024||ADT^A01^ADT_A01|1|P|2.5\rPID|1||123^^^MRN||DOE^J||1970\r')],
      ['s2c', hl7('MSH|^~\\&|C|D|A|B|2024||ACK|2|P|2.5\rMSA|AA|1\r')],
    ],
    [['c2s', ascii('\ufeffMSH|^~\\&|A|B|C|D|2024||ORU^R01|1|P|2.3\nOBX|1|TX|x||y\nMSH|^~\\&|A|B|C|D|2024||ORU^R01|2|P|2.3\n')]],
  ],
  mqtt: [
    [
      ['c2s', connect({ level: 5, clientId: 'c', username: 'u', password: 'p', will: { topic: 'w', payload: 'x', qos: 1, retain: false }, properties: Uint8Array.of(0x11, 0, 0, 0, 10, 0x26, 0, 1, 0x61, 0, 1, 0x62) })],
      ['s2c', connack(0, true)],
      ['c2s', subscribe(1, [{ filter: 'a/+', qos: 1 }], true)],
      ['c2s', publish('a/b', new Uint8Array(20), 1, true)],
    ],
    [['c2s', connect({ level: 4, clientId: 'c', username: 'u' })], ['s2c', connack(5)], ['c2s', publish('t', new Uint8Array(3))]],
  ],
  tls: [
    [
      ['c2s', records(22, clientHello({ ciphers: [0x0a0a, 0x1301, 0xc02f, 0x0005], sni: 'a.example', alpn: ['h2'], supportedVersions: [0x0304, 0x0303], groups: [29], pointFormats: [0], signatureAlgorithms: [0x0403] }), 60)],
      ['s2c', records(22, concat(serverHello({ version: 0x0303, cipher: 0xc02f, alpn: 'h2' }), certificateMessage([EXPIRED_CERT_DER])), 100)],
      ['s2c', records(21, Uint8Array.of(2, 40))],
      ['c2s', records(20, Uint8Array.of(1))],
      ['c2s', records(23, new Uint8Array(30))],
    ],
    [['c2s', concat(Uint8Array.of(0x80, 0x22, 0x01, 0x03, 0x01, 0, 9, 0, 0, 0, 16), Uint8Array.of(0, 0, 5, 0, 0, 0x2f, 1, 0, 0x80), new Uint8Array(16))]],
  ],
  http: [
    [
      ['c2s', ascii(`POST /x HTTP/1.1\r\nHost: h\r\nAuthorization: Basic ${Buffer.from('a:b').toString('base64')}\r\nContent-Length: 3\r\n\r\nabc`)],
      ['s2c', ascii('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n')],
    ],
    // a UPnP device description (the body-keeping path), chunked, with entities and CDATA
    [
      ['c2s', ascii('GET /desc.xml HTTP/1.1\r\nHost: 10.0.0.9:49152\r\n\r\n')],
      [
        's2c',
        ascii(
          'HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset="utf-8"\r\nTransfer-Encoding: chunked\r\n\r\n' +
            '40\r\n<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-\r\n' +
            '9e\r\n0"><device><deviceType>urn:x:device:PatientMonitor:1</deviceType><friendlyName>Bed &amp; 7</friendlyName><modelName><![CDATA[MX]]></modelName></device></root>\r\n0\r\n\r\n',
        ),
      ],
    ],
    // a FHIR transaction Bundle and its answer (the FHIR body-reading path), with escapes and a contained resource
    (() => {
      const bundle = '{"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","name":[{"family":"O\\"Neil"}],"contained":[{"resourceType":"Device"}]},"request":{"method":"POST","url":"Patient"}},{"request":{"method":"DELETE","url":"Observation/7"}}]}';
      const answer = '{"resourceType":"Bundle","type":"transaction-response","entry":[{"response":{"status":"201 Created"}}]}';
      return [
        ['c2s', ascii(`POST /fhir HTTP/1.1\r\nHost: ehr\r\nContent-Type: application/fhir+json\r\nContent-Length: ${bundle.length}\r\n\r\n${bundle}`)],
        ['s2c', ascii(`HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: ${answer.length}\r\n\r\n${answer}`)],
      ] as Step[];
    })(),
  ],
  ftp: [[['s2c', ascii('220 FTP\r\n')], ['c2s', ascii('USER a\r\nPASS b\r\n')], ['s2c', ascii('230 ok\r\n')]]],
  telnet: [[['s2c', Uint8Array.of(0xff, 0xfd, 0x18, 0xff, 0xfa, 0x18, 1, 0xff, 0xf0)], ['s2c', ascii('login: ')], ['c2s', ascii('x\r\n')]]],
  smb: [
    [['c2s', smb1Negotiate(['NT LM 0.12', 'SMB 2.002'])], ['c2s', smb2Negotiate({ response: false, dialects: [0x0202, 0x0311], securityMode: 1 })], ['s2c', smb2Negotiate({ response: true, dialects: [0x0311], securityMode: 2 })]],
  ],
  rdp: [[['c2s', rdpRequest('u', 3)], ['s2c', rdpConfirm(2)]]],
  vnc: [[['s2c', ascii('RFB 003.008\n')], ['c2s', ascii('RFB 003.008\n')], ['s2c', Uint8Array.of(2, 1, 2)], ['c2s', Uint8Array.of(2)]]],
  dhcp: [[['c2s', dhcp({ mac: '00:11:22:33:44:55', type: 1, hostname: 'h', vendorClass: 'v', prl: [1, 3], clientId: Uint8Array.of(1, 0, 0x11, 0x22, 0x33, 0x44, 0x55), fqdn: 'a.b' })]]],
  snmp: [[['c2s', snmp({ version: 1, community: 'public', pdu: 0xa0, requestId: 1, varbinds: [{ oid: '1.3.6.1.2.1.1.1.0' }] })], ['s2c', snmp({ version: 1, community: 'public', pdu: 0xa2, requestId: 1, varbinds: [{ oid: '1.3.6.1.2.1.1.1.0', value: 'x' }] })]]],
  ssdp: [[['c2s', ascii('M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nST: ssdp:all\r\n\r\n')], ['s2c', ascii('HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\nUSN: uuid:1::upnp:rootdevice\r\nSERVER: a/1 UPnP/1.0 b/2\r\n\r\n')]]],
  mdns: [[['s2c', dnsMessage({ id: 0, flags: 0x8400, answers: [rr({ name: dnsName('_ipp._tcp.local'), type: 12, data: dnsName('P._ipp._tcp.local') }), rr({ name: dnsName('P._ipp._tcp.local'), type: 16, data: txt('ty=X') })] })]]],
  dns: [
    [['c2s', dnsMessage({ flags: 0x0100, questions: [{ name: 'a.example', type: 1 }] })], ['s2c', dnsMessage({ flags: 0x8180, questions: [{ name: 'a.example', type: 1 }], answers: [rr({ name: Uint8Array.of(0xc0, 12), type: 1, data: Uint8Array.of(1, 2, 3, 4) }), rr({ name: Uint8Array.of(0xc0, 12), type: 33, data: concat(u16be(0), u16be(0), u16be(80), Uint8Array.of(0xc0, 12)) })] })]],
  ],
};

export const dissectorsWithSeeds = (): [Dissector, Step[][]][] => DEFAULT_DISSECTORS.map((d) => [d, SEEDS[d.id] ?? []]);
