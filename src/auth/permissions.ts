/**
 * @module The permission model: roles, permissions, and the matrix between them. Deny by default:
 * a route names exactly one permission (or is explicitly public), and a role holds only what is
 * listed here. test/e2e/api/route-permissions.test.ts enumerates every registered route against
 * this matrix, so a route without a rule fails the build.
 */

export const ROLES = ['admin', 'security_analyst', 'biomed_engineer', 'clinician_viewer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'devices:read',
  'devices:write',
  'devices:import',
  'alerts:read',
  'alerts:write',
  'alerts:create',
  'audit:read',
  'users:read',
  'users:write',
  'tokens:write',
  'system:read',
  'vulns:read',
  'vulns:write',
  'vulns:import',
  'netmon:read',
  'netmon:ingest',
  // raw packets carry patient data (HL7, DICOM, FHIR bodies): more than the observations netmon:read shows
  'netmon:packets',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'Everything, including users, roles and integration tokens.',
  security_analyst: 'Investigates devices, vulnerabilities and alerts; edits inventory; triages and resolves alerts; extracts the packets behind them.',
  biomed_engineer: 'Clinical engineering: maintains and imports the device inventory; reads alerts.',
  clinician_viewer: 'Read-only view of devices and alerts for clinical staff.',
  auditor: 'Read-only view of everything, plus the audit log and its proofs; cannot change anything.',
};

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  security_analyst: [
    'devices:read',
    'devices:write',
    'devices:import',
    'alerts:read',
    'alerts:write',
    'alerts:create',
    'audit:read',
    'tokens:write',
    'system:read',
    'vulns:read',
    'vulns:write',
    'vulns:import',
    'netmon:read',
    'netmon:ingest',
    'netmon:packets',
  ],
  biomed_engineer: ['devices:read', 'devices:write', 'devices:import', 'alerts:read', 'tokens:write', 'system:read', 'vulns:read', 'vulns:import', 'netmon:read'],
  clinician_viewer: ['devices:read', 'alerts:read', 'vulns:read'],
  auditor: ['devices:read', 'alerts:read', 'audit:read', 'users:read', 'system:read', 'vulns:read', 'netmon:read'],
};

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);
export const isPermission = (s: string): s is Permission => (PERMISSIONS as readonly string[]).includes(s);

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
