/** @module Public surface of passive discovery: profiles from observations, inference rules, OUI lookup, inventory reports. */
export { DiscoveryBuilder, flowKeyString, isLoopbackIp, type DiscoveryOptions, type FlowState } from './builder.js';
export { PROFILE_LIMITS, type EndpointProfile, type ProfileFinding, type ServiceUse } from './profile.js';
export { DISCOVERY_RULES, MODALITY_CATEGORIES, inferProfile, type Evidence, type Inference, type InferenceRule, type InferredValue, type RuleConclusion, type RuleContext } from './rules.js';
export { DEFAULT_OUI_PATH, fallbackOuiDatabase, loadOuiDatabase, ouiOf, parseOuiLine, readOuiFile, type OuiDatabase } from './oui.js';
export { IDENTIFIER_CONFIDENCE, describeProfile, toDeviceReportGroup, toDeviceReportGroups, toDeviceReports, type DiscoveredDevice, type ToReportsOptions } from './devices.js';
