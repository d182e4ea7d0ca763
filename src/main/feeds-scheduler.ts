/**
 * @module The server's feed schedule: when CAREGUARD_FEEDS names a configuration and
 * CAREGUARD_FEEDS_INTERVAL_MINUTES is above 0, the feeds are synced shortly after start and then
 * every interval. A sync never overlaps another (a manual one included); failures are logged and
 * the next tick tries again.
 */
import { systemActor, type Logger } from '../core/index.js';
import { loadFeedConfig, type FeedRunner } from '../vulns/feed-runner.js';

export interface FeedSchedule {
  stop(): void;
}

export function scheduleFeeds(runner: FeedRunner, configPath: string, intervalMinutes: number, logger: Logger, firstDelayMs = 30_000): FeedSchedule {
  const actor = systemActor('feeds-scheduler');
  const controller = new AbortController();
  const tick = async () => {
    if (runner.isRunning) return;
    try {
      await runner.run(loadFeedConfig(configPath), actor, { signal: controller.signal });
    } catch (e) {
      logger.error({ err: e }, 'scheduled feed sync failed');
    }
  };
  const first = setTimeout(() => void tick(), firstDelayMs);
  const every = setInterval(() => void tick(), intervalMinutes * 60_000);
  first.unref();
  every.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(every);
      controller.abort();
    },
  };
}
