/**
 * @module The composition root: one container wires configuration, storage, services and their
 * repositories for the server, the CLI and (later) workers. Nothing else constructs services.
 */
import { mkdirSync } from 'node:fs';
import { AlertService } from '../alerts/index.js';
import { AuditService, loadOrCreateSigningKey } from '../audit/index.js';
import { createAuthServices, type AuthServices } from '../auth/index.js';
import { createLogger, systemClock, type Clock, type Logger } from '../core/index.js';
import { InventoryService } from '../inventory/index.js';
import { ImportService } from '../inventory/import/index.js';
import { isPostgresUrl, migrateToLatest, openDatabase, type DatabaseHandle } from '../storage/index.js';
import { createAlertRepository } from '../storage/repositories/alerts.js';
import { createAuditRepository } from '../storage/repositories/audit.js';
import { createAuthStore } from '../storage/repositories/auth.js';
import { KyselyDeviceRepository } from '../storage/repositories/devices.js';
import { ensureSearchIndexes } from '../storage/repositories/devices-bulk.js';
import { createVulnRepository } from '../storage/repositories/vulns.js';
import { createVulnCapability, type VulnCapability } from '../vulns/capability.js';
import { clinicalRiskScorer } from './vulns-risk.js';
import { createNetmonRepository } from '../storage/repositories/netmon.js';
import { NetmonService } from '../netmon/service.js';
import { PacketEvidenceService } from '../netmon/extract/index.js';
import { parsePolicyText } from '../netmon/detect/index.js';
import { readFileSync } from 'node:fs';
import type { Config } from './config.js';

export interface Container extends AuthServices {
  config: Config;
  logger: Logger;
  clock: Clock;
  storage: DatabaseHandle;
  audit: AuditService;
  inventory: InventoryService;
  imports: ImportService;
  alerts: AlertService;
  vulns: VulnCapability;
  netmon: NetmonService;
  /** the packets of stored captures, read again from their files (audited) */
  netmonPackets: PacketEvidenceService;
  close(): Promise<void>;
}

export interface ContainerOptions {
  logger?: Logger;
  clock?: Clock;
}

export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  mkdirSync(config.dataDir, { recursive: true });
  const storage = await openDatabase(config.dbUrl);
  try {
    const applied = await migrateToLatest(storage);
    if (applied.length > 0) logger.info({ migrations: applied, db: storage.location }, 'database migrated');
    // A large import on SQLite drops the device search indexes until it ends (devices-bulk.ts); a
    // process killed meanwhile leaves them missing, so every start creates any that are missing.
    const healed = await ensureSearchIndexes(storage.db, storage.dialect);
    if (healed.length > 0) logger.warn({ indexes: healed, db: storage.location }, 'recreated device search indexes an interrupted import left missing');

    // The configuration already read CAREGUARD_AUDIT_KEY; an empty env keeps a second variable from applying.
    const signingKey = loadOrCreateSigningKey({
      dataDir: config.dataDir,
      env: {},
      ...(config.auditKeyPath ? { keyPath: config.auditKeyPath } : {}),
    });
    const audit = new AuditService({ repo: createAuditRepository(storage.db, storage.dialect), signingKey, clock });
    const authServices = createAuthServices({ store: createAuthStore(storage.db), audit, clock });
    const inventory = new InventoryService({ repo: new KyselyDeviceRepository(storage), audit, clock });
    const imports = new ImportService({ inventory, clock, audit });
    const alerts = new AlertService({ repo: createAlertRepository(storage.db, storage.dialect), audit, clock });
    const netmonStore = createNetmonRepository(storage.db, storage.dialect);
    const netmon = new NetmonService({
      store: netmonStore,
      inventory,
      alerts,
      clock,
      observations: config.netmonObservations,
      ...(config.netmonPolicyPath ? { policy: parsePolicyText(readFileSync(config.netmonPolicyPath, 'utf8'), { file: config.netmonPolicyPath }) } : {}),
    });
    const netmonPackets = new PacketEvidenceService({ captures: netmonStore, audit });
    const vulns = createVulnCapability({
      repo: createVulnRepository(storage.db, storage.dialect),
      audit,
      alerts,
      inventory,
      clock,
      scorer: clinicalRiskScorer,
      policy: { alertThreshold: config.vulnAlertThreshold },
      logger,
      exposure: () => netmon.exposureByIp(),
    });

    return {
      config,
      logger,
      clock,
      storage,
      audit,
      inventory,
      imports,
      alerts,
      vulns,
      netmon,
      netmonPackets,
      ...authServices,
      close: () => storage.close(),
    };
  } catch (e) {
    await storage.close();
    throw e;
  }
}

export const describeStorage = (config: Config): string => (isPostgresUrl(config.dbUrl) ? 'PostgreSQL' : 'SQLite');
