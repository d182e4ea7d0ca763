/** @module The built-in detection rules, in the order the engine runs them and the docs list them. */
import type { DetectionRule } from '../model.js';
import { unexpectedDestinationRule, unknownAeRule } from './dicom.js';
import { aeTitleGuessingRule } from './dicom-guessing.js';
import { internetRule } from './internet.js';
import { newPeerRule, newServiceRule } from './new-contact.js';
import { phiRule } from './phi.js';
import { hostSweepRule, portScanRule } from './scan.js';
import { segmentationRule } from './segmentation.js';
import { volumeRule } from './volume.js';
import { cleartextCredentialsRule, insecureProtocolRule } from './wire.js';

export const DETECTION_RULES: readonly DetectionRule[] = [
  newPeerRule,
  newServiceRule,
  internetRule,
  phiRule,
  insecureProtocolRule,
  cleartextCredentialsRule,
  unknownAeRule,
  unexpectedDestinationRule,
  aeTitleGuessingRule,
  portScanRule,
  hostSweepRule,
  volumeRule,
  segmentationRule,
];

export {
  aeTitleGuessingRule,
  cleartextCredentialsRule,
  hostSweepRule,
  insecureProtocolRule,
  internetRule,
  newPeerRule,
  newServiceRule,
  phiRule,
  portScanRule,
  segmentationRule,
  unexpectedDestinationRule,
  unknownAeRule,
  volumeRule,
};
