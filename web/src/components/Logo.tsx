/** @module The CareGuard mark: a shield with a heartbeat line, drawn inline so it needs no image request. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path className="logo__shield" d="M16 2.5 4.5 6.8v8.1c0 7.3 4.9 12.6 11.5 14.6 6.6-2 11.5-7.3 11.5-14.6V6.8L16 2.5Z" />
      <path className="logo__pulse" d="M8 16.5h4.2l2-4.5 3.2 8.5 2.2-4h4.4" />
    </svg>
  );
}
