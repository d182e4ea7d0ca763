/** @module Wires the vulnerability-intelligence services over one repository (used by the composition root). */
import type { AuditRecorder } from '../audit/index.js';
import type { Clock, Logger } from '../core/index.js';
import { DeviceDirectory, type DeviceLookup, type ExposureProvider, type InventoryReader } from './device-directory.js';
import type { VulnRepository } from './ports.js';
import { Portfolio } from './portfolio.js';
import { VulnQueries } from './queries.js';
import type { FindingScorer } from './rating.js';
import { VulnService } from './service.js';
import type { AlertRaiser, SurveillancePolicy } from './surveillance.js';
import { TriageService } from './triage.js';
import { VexService } from './vex-service.js';
import { FeedRunner } from './feed-runner.js';

export interface VulnCapability {
  repo: VulnRepository;
  service: VulnService;
  queries: VulnQueries;
  triage: TriageService;
  devices: DeviceDirectory;
  portfolio: Portfolio;
  vex: VexService;
  feeds: FeedRunner;
}

export interface VulnCapabilityDeps {
  repo: VulnRepository;
  audit: AuditRecorder;
  alerts: AlertRaiser;
  inventory: InventoryReader;
  clock: Clock;
  scorer: FindingScorer;
  policy?: Partial<SurveillancePolicy>;
  logger?: Logger;
  /** network exposure per address from passive monitoring, for risk scoring */
  exposure?: ExposureProvider;
}

export function createVulnCapability(deps: VulnCapabilityDeps): VulnCapability {
  const nowMs = () => deps.clock.now().getTime();
  const devices = new DeviceDirectory(deps.inventory, nowMs, 30_000, deps.exposure);
  const portfolio = new Portfolio(deps.repo, devices, deps.scorer, nowMs);
  const onChange = () => portfolio.invalidate();
  const service = new VulnService({
    onChange,
    repo: deps.repo,
    audit: deps.audit,
    alerts: deps.alerts,
    devices,
    scorer: deps.scorer,
    clock: deps.clock,
    ...(deps.policy ? { policy: deps.policy } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  // The device snapshot is taken before the triage transaction opens (SQLite has one connection).
  let devicesOf: DeviceLookup = () => [];
  const triage = new TriageService(
    deps.repo,
    deps.audit,
    deps.clock,
    onChange,
    (store, findings) => service.risk.rescore(store, devicesOf, findings),
    async () => {
      devicesOf = await devices.snapshot();
    },
  );
  const vex = new VexService(deps.repo, triage, deps.audit, deps.clock, onChange);
  const feeds = new FeedRunner(service, deps.repo, deps.logger);
  return { repo: deps.repo, service, queries: new VulnQueries(deps.repo, service.risk), triage, devices, portfolio, vex, feeds };
}
