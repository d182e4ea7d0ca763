/**
 * @module The application shell: waits for the session probe, shows sign-in when nobody is signed in,
 * otherwise the top navigation and the page the hash route names.
 */
import { useEffect } from 'react';
import { EmptyState, Loading } from './components/Feedback.js';
import { TopNav } from './components/TopNav.js';
import { AlertsPage } from './pages/alerts/AlertsPage.js';
import { DeviceDetailPage } from './pages/device/DeviceDetailPage.js';
import { DevicesPage } from './pages/devices/DevicesPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { MapPage } from './pages/netmon/MapPage.js';
import { NetworkPage } from './pages/netmon/NetworkPage.js';
import { matchNetmonRoute } from './pages/netmon/routes.js';
import { RiskPage } from './pages/risk/RiskPage.js';
import { FindingDetailPage } from './pages/vulns/FindingDetailPage.js';
import { FindingsPage } from './pages/vulns/FindingsPage.js';
import { ProductDetailPage } from './pages/vulns/ProductDetailPage.js';
import { ProductsPage } from './pages/vulns/ProductsPage.js';
import { matchVulnRoute, sectionOf } from './pages/vulns/routes.js';
import { Link, matchRoute, navigate, useLocation } from './router/index.js';
import { useSession } from './session/session.js';

function SkipLink() {
  return (
    <a
      href="#main"
      className="skiplink"
      onClick={(e) => {
        // the hash router owns location.hash, so move focus without changing it
        e.preventDefault();
        const main = document.getElementById('main');
        main?.setAttribute('tabindex', '-1');
        main?.focus();
      }}
    >
      Skip to main content
    </a>
  );
}

export function App() {
  const { state, logout } = useSession();
  const location = useLocation();
  const route = matchRoute(location.path);
  // the vulnerability pages keep their own route table; the core router reports them as not found
  const vuln = route.name === 'not-found' ? matchVulnRoute(location.path) : undefined;
  const netmon = route.name === 'not-found' && !vuln ? matchNetmonRoute(location.path) : undefined;

  useEffect(() => {
    if (state.status === 'authenticated' && route.name === 'login') navigate('/devices', { replace: true });
  }, [state.status, route.name]);

  if (state.status === 'loading') {
    return (
      <div className="splash">
        <Loading label="Starting CareGuard…" />
      </div>
    );
  }
  if (state.status === 'anonymous') return <LoginPage reason={state.reason} />;

  const section = vuln ? sectionOf(vuln) : netmon ? 'network' : route.name === 'devices' || route.name === 'device' ? 'devices' : route.name === 'alerts' ? 'alerts' : 'other';
  return (
    <>
      <SkipLink />
      <TopNav user={state.user} section={section} onLogout={logout} />
      {route.name === 'devices' || route.name === 'login' ? <DevicesPage /> : null}
      {route.name === 'device' && route.params['id'] ? <DeviceDetailPage key={route.params['id']} id={route.params['id']} /> : null}
      {route.name === 'alerts' ? <AlertsPage /> : null}
      {vuln?.name === 'risk' ? <RiskPage /> : null}
      {vuln?.name === 'findings' ? <FindingsPage /> : null}
      {vuln?.name === 'finding' ? <FindingDetailPage key={vuln.id} id={vuln.id} /> : null}
      {vuln?.name === 'products' ? <ProductsPage /> : null}
      {vuln?.name === 'product' ? <ProductDetailPage key={vuln.id} id={vuln.id} /> : null}
      {netmon?.name === 'network' ? <NetworkPage /> : null}
      {netmon?.name === 'network-map' ? <MapPage /> : null}
      {route.name === 'not-found' && !vuln && !netmon ? (
        <main className="page" id="main">
          <h1 className="page__title">Page not found</h1>
          <EmptyState title={`There is no page at ${location.path}`}>
            <Link to="/devices">Go to the device inventory</Link>
          </EmptyState>
        </main>
      ) : null}
    </>
  );
}
