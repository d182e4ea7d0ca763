/** @module Builds a flow's FlowKey (the only place address text is made, once per flow) and its address words. */
import type { DecodedPacket } from '../decode/index.js';
import type { Endpoint, FlowKey } from '../model.js';

export interface FlowEndpoints {
  key: FlowKey;
  clientPort: number;
  serverPort: number;
}

export function endpointsOf(p: DecodedPacket, srcIsClient: boolean): FlowEndpoints {
  const src: Endpoint = { ip: p.srcIp(), port: p.srcPort };
  const dst: Endpoint = { ip: p.dstIp(), port: p.dstPort };
  const srcMac = p.srcMac();
  const dstMac = p.dstMac();
  if (srcMac !== undefined) src.mac = srcMac;
  if (dstMac !== undefined) dst.mac = dstMac;
  const key: FlowKey = {
    transport: p.transport === 'tcp' ? 'tcp' : 'udp',
    client: srcIsClient ? src : dst,
    server: srcIsClient ? dst : src,
  };
  if (p.vlanCount > 0) key.vlan = p.vlanList();
  return {
    key,
    clientPort: srcIsClient ? p.srcPort : p.dstPort,
    serverPort: srcIsClient ? p.dstPort : p.srcPort,
  };
}
