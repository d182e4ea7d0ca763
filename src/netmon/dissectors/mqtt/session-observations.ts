/**
 * @module Pure pieces of an MQTT session's observations: the packet forms that prove a session speaks
 * MQTT 5, and a CONNECT's fields and cleartext-credential findings.
 */
import type { WireFinding } from '../../model.js';
import { protocolVersionName, type ConnectPacket } from './packets.js';
import type { MqttPacket } from './stream.js';

/**
 * Packet forms only MQTT 5 has: an acknowledgement with a reason code, an UNSUBACK with reason codes, a
 * DISCONNECT with a body, AUTH, a PUBLISH with an empty topic (a topic alias); and see subscription()
 * (MqttConsumer, dissector.ts).
 * A 3.1.1 session never sends them, so a session seen without its CONNECT is read as 5.0 from the first
 * one on.
 */
export function onlyInMqtt5(p: MqttPacket): boolean {
  switch (p.type) {
    case 3:
      return p.body.length >= 2 && p.body[0] === 0 && p.body[1] === 0;
    case 4:
    case 5:
    case 6:
    case 7:
    case 11:
      return p.length > 2;
    case 14:
      return p.length > 0;
    case 15:
      return true;
    default:
      return false;
  }
}

/** Adds to `findings` what the CONNECT sends in cleartext: a password (with or without a user) or a user. */
export function addCredentialFindings(findings: WireFinding[], c: ConnectPacket): void {
  if (c.passwordLength !== null) {
    findings.push({
      code: 'mqtt.cleartext-credentials',
      severity: 'high',
      message: `MQTT CONNECT sends ${c.username === null ? 'a password' : `user "${c.username}" and a password`} (${c.passwordLength} bytes) in cleartext`,
    });
  } else if (c.username !== null) {
    findings.push({ code: 'mqtt.cleartext-credentials', severity: 'medium', message: `MQTT CONNECT sends user "${c.username}" in cleartext` });
  }
}

/** The fields of an `mqtt.connect` observation. */
export function connectFields(c: ConnectPacket): Record<string, unknown> {
  return {
    protocolName: c.protocolName,
    protocolLevel: c.protocolLevel,
    protocolVersion: protocolVersionName(c.protocolLevel),
    clientId: c.clientId,
    cleanStart: c.cleanStart,
    keepAlive: c.keepAlive,
    usernamePresent: c.username !== null,
    username: c.username,
    passwordPresent: c.passwordLength !== null,
    passwordLength: c.passwordLength ?? 0,
    will: c.will,
    properties: c.properties,
  };
}
