// Bootstraps the dissector property worker (property-worker.ts): a worker thread starts without the
// test runner's TypeScript transform, so tsx compiles the worker and what it imports.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
