/**
 * @module The application header: brand, primary navigation (with the current page marked for screen
 * readers; the vulnerability pages only for users holding vulns:read, the network pages only for
 * netmon:read), and the signed-in user with their role and a sign-out button.
 */
import { useState } from 'react';
import type { SessionUser } from '../api/types.js';
import { Link } from '../router/index.js';
import { humanize } from '../lib/format.js';
import { useSession } from '../session/session.js';
import { Logo } from './Logo.js';

interface TopNavProps {
  user: SessionUser;
  section: 'devices' | 'alerts' | 'risk' | 'findings' | 'products' | 'network' | 'other';
  onLogout(): Promise<void>;
}

export function TopNav({ user, section, onLogout }: TopNavProps) {
  const [busy, setBusy] = useState(false);
  const { can } = useSession();
  const vulns = can('vulns:read');
  const netmon = can('netmon:read');
  const name = user.displayName ?? user.username;
  const initials = name
    .split(/[\s._-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part.charAt(0).toUpperCase())
    .join('');

  return (
    <header className="topbar">
      <div className="topbar__inner">
        <Link to="/devices" className="brand" aria-label="CareGuard home">
          <Logo />
          <span className="brand__name">CareGuard</span>
        </Link>
        <nav className="mainnav" aria-label="Main">
          <ul>
            <li>
              <Link to="/devices" current={section === 'devices'} className="mainnav__link">
                Devices
              </Link>
            </li>
            <li>
              <Link to="/alerts" current={section === 'alerts'} className="mainnav__link">
                Alerts
              </Link>
            </li>
            {vulns ? (
              <>
                <li>
                  <Link to="/risk" current={section === 'risk'} className="mainnav__link">
                    Risk
                  </Link>
                </li>
                <li>
                  <Link to="/findings" current={section === 'findings'} className="mainnav__link">
                    Findings
                  </Link>
                </li>
                <li>
                  <Link to="/products" current={section === 'products'} className="mainnav__link">
                    Products
                  </Link>
                </li>
              </>
            ) : null}
            {netmon ? (
              <li>
                <Link to="/network" current={section === 'network'} className="mainnav__link">
                  Network
                </Link>
              </li>
            ) : null}
          </ul>
        </nav>
        <div className="usermenu" data-testid="current-user">
          <span className="avatar" aria-hidden="true">
            {initials || '?'}
          </span>
          <span className="usermenu__text">
            <span className="usermenu__name">{name}</span>
            <span className="usermenu__role" data-role={user.role}>
              {humanize(String(user.role))}
            </span>
          </span>
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void onLogout().finally(() => setBusy(false));
            }}
          >
            Sign out
          </button>
        </div>
      </div>
    </header>
  );
}
