/** @module Public surface of the demo hospital: the seeded generator, its CSV export and the seeder. */
export { generateDemoDevices, demoDeviceToReport, MAX_DEMO_DEVICES, type DemoDevice, type DemoOptions } from './generator.js';
export { writeDemoCsv, demoCsvHeader, demoCsvRow, csvField } from './csv.js';
export { seedDemoHospital, type DemoSeedOptions, type DemoSeedResult, type DemoSeedTarget } from './seed.js';
export { DEMO_MODELS } from './catalog.js';
