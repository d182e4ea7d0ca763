/** @module Builds a flow's FlowKey (the only place address text is made, once per flow) and its address words. */
import type { DecodedPacket } from '../decode/index.js';
import type { Endpoint, FlowKey } from '../model.js';

export interface FlowEndpoints {
  key: FlowKey;
  clientPort: number;
  serverPort: number;
}

/** One literal per shape: adding `mac` afterwards would give every flow key two extra property arrays. */
const endpoint = (ip: string, port: number, mac: string | undefined): Endpoint => (mac === undefined ? { ip, port } : { ip, port, mac });

export function endpointsOf(p: DecodedPacket, srcIsClient: boolean): FlowEndpoints {
  const src = endpoint(p.srcIp(), p.srcPort, p.srcMac());
  const dst = endpoint(p.dstIp(), p.dstPort, p.dstMac());
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
