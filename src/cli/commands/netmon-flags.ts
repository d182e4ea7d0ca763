/**
 * @module The flags of the `netmon` commands and the defaults their help states. Loaded with the
 * command definitions, so it imports nothing: the capture pipeline loads only when a command runs.
 */
export interface NetmonFlags {
  json?: boolean;
  progress?: boolean;
  policy?: string;
  learnSeconds?: string;
  baseline?: string;
  saveBaseline?: string;
  format?: string;
  port?: string;
  host?: string;
  seconds?: string;
  follow?: boolean;
  checkpointSeconds?: string;
}

/** stdin is a live pipe unless told otherwise: what it read is recorded every 5 minutes */
export const DEFAULT_STDIN_CHECKPOINT_SECONDS = 300;
