/**
 * @module The device page's "Communication" section (for users holding netmon:read): the device's
 * communication map (all its addresses at the centre) and its conversations summed across captures,
 * or a note that nothing was observed.
 */
import type { Device } from '../../api/types.js';
import { netmonApi } from '../../api/netmon.js';
import type { Conversation } from '../../api/netmon.js';
import { ErrorMessage, Loading } from '../../components/Feedback.js';
import { useApi } from '../../hooks/useApi.js';
import { formatCount, formatDateTime, formatRelative } from '../../lib/format.js';
import { Link } from '../../router/index.js';
import { useSession } from '../../session/session.js';
import { MapView } from './MapView.js';
import { formatBytes, protocolLabel } from './netformat.js';
import { mapHref } from './routes.js';

const CONVERSATIONS_SHOWN = 50;

function ConversationTable({ items, label }: { items: Conversation[]; label: string }) {
  return (
    <div className="tablewrap" role="region" aria-label={label} tabIndex={0}>
      <table className="table table--compact table--conversations" data-testid="device-conversations">
        <caption className="visually-hidden">{label}, largest first</caption>
        <thead>
          <tr>
            <th scope="col">Client</th>
            <th scope="col">Server</th>
            <th scope="col">Service</th>
            <th scope="col" className="num">
              Flows
            </th>
            <th scope="col" className="num">
              Bytes
            </th>
            <th scope="col" className="col-seen">
              Last seen
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={`${c.client}|${c.server}|${c.transport}|${c.port}|${c.protocol}`} data-client={c.client} data-server={c.server} data-protocol={c.protocol} data-port={c.port}>
              <td className="mono">{c.client}</td>
              <td className="mono">{c.server}</td>
              <td>
                {protocolLabel(c.protocol)} <span className="muted mono">{`${c.transport}/${c.port}`}</span>
              </td>
              <td className="num">{formatCount(c.flows)}</td>
              <td className="num">{formatBytes(c.bytes)}</td>
              <td className="col-seen">
                <time dateTime={c.lastSeen} title={formatDateTime(c.lastSeen)}>
                  {formatRelative(c.lastSeen)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DeviceCommunication({ device }: { device: Device }) {
  const { can } = useSession();
  const allowed = can('netmon:read');
  const ips = device.network.ips;
  const conversations = useApi(allowed && ips.length > 0 ? `${device.id}|${ips.join(',')}` : null, (signal) => netmonApi.conversations({ ips: ips.slice(0, 50), limit: CONVERSATIONS_SHOWN }, signal));
  if (!allowed) return null;
  const subject = device.name ?? device.id;

  return (
    <section className="card" aria-labelledby="communication-title" data-testid="device-communication">
      <div className="netcapture__head">
        <h2 className="card__title" id="communication-title">
          Communication
        </h2>
        <Link to={mapHref({ kind: 'deviceId', value: device.id })} className="card__link">
          Open the full map
        </Link>
      </div>
      {ips.length === 0 ? (
        <p className="muted" data-testid="communication-empty">
          Nothing observed: the device has no IP address in the inventory, so its traffic cannot be recognised in captures.
        </p>
      ) : (
        <>
          <MapView
            query={{ deviceId: device.id }}
            subject={subject}
            empty={<>None of its addresses ({ips.join(', ')}) appears in an ingested capture or flow log.</>}
          />
          {conversations.error ? <ErrorMessage error={conversations.error} onRetry={conversations.reload} /> : null}
          {!conversations.data && conversations.loading ? <Loading label="Loading conversations…" /> : null}
          {conversations.data && conversations.data.items.length > 0 ? (
            <>
              <h3 className="netmap__heading">Conversations</h3>
              <ConversationTable items={conversations.data.items} label={`Conversations of ${subject}`} />
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
