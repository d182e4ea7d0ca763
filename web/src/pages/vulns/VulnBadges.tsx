/**
 * @module Pills for the vulnerability pages: risk score with its band, VEX triage state, the
 * needs-review flag, KEV listing and the recommended action. As with the other badges, colour is never
 * the only signal: every pill carries its text, and the band pill reuses the severity shapes.
 */
import type { RiskBand } from '../../api/vulns.js';
import { actionLabel, bandLabel, bandOf, formatScore, triageLabel } from './risk.js';

const classSafe = (value: string) => value.replace(/[^a-z0-9-]/gi, '-').toLowerCase();

/** the severity badge colours, 'none' drawn like 'info' */
const bandClass = (band: string) => `badge badge--sev badge--sev-${band === 'none' ? 'info' : classSafe(band)}`;

export function BandBadge({ band }: { band: RiskBand | string }) {
  return (
    <span className={bandClass(band)} data-band={band}>
      <span className="badge__dot" aria-hidden="true" />
      {bandLabel(band)}
    </span>
  );
}

/** "86.6  [High]" — the number first so a column of them lines up */
export function RiskScoreBadge({ score, band }: { score: number; band?: RiskBand | string }) {
  const b = band ?? bandOf(score);
  return (
    <span className="riskscore" data-score={score} data-band={b}>
      <span className="riskscore__value">{formatScore(score)}</span>
      <BandBadge band={b} />
    </span>
  );
}

export function TriageBadge({ state }: { state: string | undefined }) {
  const key = state ?? 'untriaged';
  return (
    <span className={`badge badge--outline badge--triage-${classSafe(key)}`} data-triage={key}>
      {triageLabel(state)}
    </span>
  );
}

export function ReviewFlag() {
  return (
    <span className="badge badge--review" data-needs-review="true" title="The match rests on weak evidence (name-only, free-text range, missing version): a person must confirm it">
      <span className="badge__mark" aria-hidden="true">
        !
      </span>
      Needs review
    </span>
  );
}

export function KevBadge({ ransomware }: { ransomware?: boolean }) {
  return (
    <span className="badge badge--kev" title="Listed in the CISA Known Exploited Vulnerabilities catalog">
      KEV{ransomware ? ' · ransomware' : ''}
    </span>
  );
}

export function ActionBadge({ action }: { action: string }) {
  return (
    <span className={`badge badge--action badge--action-${classSafe(action)}`} data-action={action}>
      {actionLabel(action)}
    </span>
  );
}
