/**
 * @module The Network page (#/network): what passive monitoring has seen — the captures ingested
 * (one opens as ?capture=<id>), an upload form for users holding netmon:ingest, the latest
 * detections linking to the alert queue, the server's capture-directory watch, and the zones panel
 * (policy and observed-versus-allowed traffic). An upload, or a file the watch ingested, refreshes
 * the lists it changes.
 */
import { useCallback, useEffect, useState } from 'react';
import { useLocation } from '../../router/index.js';
import { useSession } from '../../session/session.js';
import { CaptureDetail } from './CaptureDetail.js';
import { CaptureWatchCard } from './CaptureWatchCard.js';
import { CapturesCard } from './CapturesCard.js';
import { DetectionsCard } from './DetectionsCard.js';
import { MapShortcut } from './MapShortcut.js';
import { NotAllowed } from './NotAllowed.js';
import { UploadCard } from './UploadCard.js';
import { ZonesCard } from './ZonesCard.js';

export function NetworkPage() {
  const { can } = useSession();
  const location = useLocation();
  const selected = location.query.get('capture')?.trim() || undefined;
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    document.title = 'Network · CareGuard';
  }, []);

  if (!can('netmon:read')) return <NotAllowed title="Network" />;
  return (
    <main className="page" id="main" data-testid="network-page">
      <div className="page__header">
        <div>
          <h1 className="page__title">Network</h1>
          <p className="page__subtitle">Passive monitoring: captures and flow logs, what they revealed, and how traffic crosses the zones</p>
        </div>
      </div>
      <CapturesCard version={version} selected={selected} />
      {selected ? <CaptureDetail key={selected} id={selected} /> : null}
      <div className={can('netmon:ingest') ? 'grid grid--2' : 'grid'}>
        {can('netmon:ingest') ? <UploadCard onUploaded={refresh} /> : null}
        <div className="netstack">
          <MapShortcut />
          <CaptureWatchCard onIngested={refresh} />
          <DetectionsCard version={version} />
        </div>
      </div>
      <ZonesCard version={version} />
    </main>
  );
}
