import { describe, expect, it } from 'vitest';
import { criticalityLabel, formatConfidence, formatRelative, humanize } from './format.js';

describe('humanize', () => {
  it('turns kebab and snake case into sentence case', () => {
    expect(humanize('in-service')).toBe('In service');
    expect(humanize('stores-and-transmits')).toBe('Stores and transmits');
  });

  it('keeps well-known acronyms upper case', () => {
    expect(humanize('cleartext-phi')).toBe('Cleartext PHI');
    expect(humanize('ae_title')).toBe('AE title');
    expect(humanize('dicom')).toBe('DICOM');
  });

  it('returns an empty string for empty input', () => {
    expect(humanize('')).toBe('');
  });
});

describe('criticalityLabel', () => {
  it('labels the known criticalities and humanizes anything else', () => {
    expect(criticalityLabel('therapeutic-non-critical')).toBe('Therapeutic (non-critical)');
    expect(criticalityLabel('life-sustaining')).toBe('Life-sustaining');
    expect(criticalityLabel('mystery-level')).toBe('Mystery level');
  });
});

describe('formatRelative', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');

  // the wording is the runtime locale's; what is under test is the unit and amount chosen
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'narrow' });

  it('picks the largest unit under which the amount stays below the next step', () => {
    expect(formatRelative('2025-06-01T11:59:30Z', now)).toBe(rtf.format(-30, 'second'));
    expect(formatRelative('2025-06-01T09:00:00Z', now)).toBe(rtf.format(-3, 'hour'));
    expect(formatRelative('2025-05-29T12:00:00Z', now)).toBe(rtf.format(-3, 'day'));
    expect(formatRelative('2025-06-01T12:05:00Z', now)).toBe(rtf.format(5, 'minute'));
  });

  it('passes a value that is not a date through unchanged', () => {
    expect(formatRelative('not a date', now)).toBe('not a date');
    expect(formatRelative(undefined, now)).toBe('—');
  });
});

describe('formatConfidence', () => {
  it('shows 0..1 as a whole percentage', () => {
    expect(formatConfidence(0.855)).toBe('86%');
    expect(formatConfidence(1)).toBe('100%');
  });
});
