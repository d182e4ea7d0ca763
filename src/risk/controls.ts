/**
 * @module Compensating controls a hospital can record for a device, each with a documented effect
 * on the risk score. A control only counts against the attack vectors it actually stops (network
 * segmentation does nothing against a USB-port attack), and controls together never take a score
 * below RISK_WEIGHTS.controlsFloor: only a triage decision (not_affected, fixed) makes it 0.
 */
import type { CvssAttackVector } from './model.js';

export interface CompensatingControl {
  id: string;
  label: string;
  /** the running score is multiplied by this when the control applies */
  multiplier: number;
  /** attack vectors it helps against; a vulnerability without a known vector counts as network */
  vectors: readonly CvssAttackVector[];
  /** helps only when the vulnerability needs privileges (PR:L/H), e.g. MFA */
  needsPrivileges?: boolean;
  description: string;
}

const ALL: readonly CvssAttackVector[] = ['N', 'A', 'L', 'P'];
const NETWORK: readonly CvssAttackVector[] = ['N', 'A'];

export const COMPENSATING_CONTROLS: readonly CompensatingControl[] = [
  {
    id: 'disabled-service',
    label: 'Vulnerable service disabled',
    multiplier: 0.4,
    vectors: ALL,
    description: 'The vulnerable service, port or feature is turned off on this device; the flaw remains in the firmware.',
  },
  {
    id: 'network-isolation',
    label: 'Network isolation',
    multiplier: 0.5,
    vectors: NETWORK,
    description: 'No routed path to the device: a dedicated, non-routed network or a standalone installation.',
  },
  {
    id: 'network-segmentation',
    label: 'Network segmentation',
    multiplier: 0.8,
    vectors: NETWORK,
    description: 'The device sits in a segmented medical-device zone whose firewall denies by default and allows only named peers.',
  },
  {
    id: 'firewall-allowlist',
    label: 'Host or perimeter allowlist',
    multiplier: 0.85,
    vectors: ['N'],
    description: 'Only listed peers and ports may reach the vulnerable interface (device firewall or ACL in front of it).',
  },
  {
    id: 'virtual-patching',
    label: 'Virtual patching (IPS)',
    multiplier: 0.8,
    vectors: NETWORK,
    description: 'An intrusion prevention signature for this vulnerability blocks exploit traffic in front of the device.',
  },
  {
    id: 'application-allowlisting',
    label: 'Application allowlisting',
    multiplier: 0.8,
    vectors: ALL,
    description: 'Only approved executables can run on the device, which stops most dropped payloads.',
  },
  {
    id: 'mfa',
    label: 'Multi-factor authentication',
    multiplier: 0.85,
    vectors: ALL,
    needsPrivileges: true,
    description: 'The interface requires a second factor to log in; helps only when exploitation needs an account.',
  },
  {
    id: 'edr',
    label: 'Endpoint detection and response',
    multiplier: 0.9,
    vectors: ALL,
    description: 'An EDR agent watches the device (workstation-class devices) and can contain it quickly.',
  },
  {
    id: 'physical-access-control',
    label: 'Physical access control',
    multiplier: 0.7,
    vectors: ['L', 'P'],
    description: 'The device and its ports are locked away or in a badge-controlled room.',
  },
];

const BY_ID = new Map(COMPENSATING_CONTROLS.map((c) => [c.id, c]));
export const compensatingControl = (id: string): CompensatingControl | undefined => BY_ID.get(id);
