/**
 * @module The communication map drawn as SVG from layout.ts: nodes coloured by criticality with the
 * device name (or address) and zone beneath, lines as thick as the traffic they carried with an arrow
 * towards the server, and each line's protocols and ports shown on hover or keyboard focus. Every node
 * links to the map centred on it. The same data is in the tables below the figure, so nothing here is
 * the only way to reach it.
 */
import { useId, useMemo, useState } from 'react';
import type { CommunicationMap, MapNode } from '../../api/netmon.js';
import { criticalityLabel } from '../../lib/format.js';
import { layoutMap } from './layout.js';
import { criticalityTone, edgeDescription, edgeSummary, nodeLabel, nodeSubLabel } from './netformat.js';

export const nodeName = (node: MapNode | undefined, ip: string): string => node?.name ?? ip;

function nodeTitle(n: MapNode): string {
  return [
    n.name ? `${n.name} (${n.ip})` : n.ip,
    n.focus ? 'centre of the map' : undefined,
    n.criticality ? criticalityLabel(n.criticality) : n.deviceId ? 'criticality unknown' : 'not in the inventory',
    n.zone ? `zone ${n.zone}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

interface MapGraphProps {
  map: CommunicationMap;
  caption: string;
  /** the map address centred on a node */
  hrefFor(ip: string): string;
  /** id of the element keyboard users can jump to past the graph's many focus stops */
  skipTo?: string;
}

export function MapGraph({ map, caption, hrefFor, skipTo }: MapGraphProps) {
  const id = useId();
  const captionId = `${id}-caption`;
  const arrowId = `${id}-arrow`;
  const [labels, setLabels] = useState(false);
  const layout = useMemo(() => layoutMap(map.nodes, map.edges), [map]);
  const byIp = useMemo(() => new Map(map.nodes.map((n) => [n.ip, n])), [map]);
  const edgeData = useMemo(() => new Map(map.edges.map((e) => [`${e.client}|${e.server}`, e])), [map]);
  const label = (ip: string) => nodeName(byIp.get(ip), ip);

  return (
    <figure className={`netmap${labels ? ' netmap--labels' : ''}`} data-testid="netmap">
      <div className="netmap__canvas">
        {skipTo ? (
          <button type="button" className="skiplink netmap__skip" onClick={() => document.getElementById(skipTo)?.focus()}>
            Skip the graph to the connections table
          </button>
        ) : null}
        <svg
          className="netmap__svg"
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          width={layout.width}
          height={layout.height}
          role="group"
          aria-labelledby={captionId}
          data-width={layout.width}
          data-height={layout.height}
        >
          <defs>
            <marker id={arrowId} viewBox="0 0 10 10" refX="1" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" className="netmap__arrow" />
            </marker>
          </defs>
          <g className="netmap__edges">
            {layout.edges.map((e) => {
              const data = edgeData.get(`${e.client}|${e.server}`);
              if (!data) return null;
              const description = edgeDescription(data, label);
              return (
                <g
                  key={`${e.client}|${e.server}`}
                  className="netedge"
                  tabIndex={0}
                  role="img"
                  aria-label={description}
                  data-client={e.client}
                  data-server={e.server}
                  data-protocols={data.protocols.join(',')}
                  data-ports={data.ports.join(',')}
                >
                  <title>{description}</title>
                  <path className="netedge__hit" d={e.d} strokeWidth={Math.max(14, e.width + 10)} />
                  <path className="netedge__line" d={e.d} strokeWidth={e.width} markerEnd={e.loop ? undefined : `url(#${arrowId})`} />
                  <text className="netedge__label" x={e.labelX} y={e.labelY} textAnchor="middle" dominantBaseline="middle">
                    {edgeSummary(data)}
                  </text>
                </g>
              );
            })}
          </g>
          <g className="netmap__nodes">
            {layout.nodes.map((p) => {
              const n = byIp.get(p.ip);
              if (!n) return null;
              return (
                <a
                  key={p.ip}
                  href={`#${hrefFor(p.ip)}`}
                  className={`netnode netnode--${criticalityTone(n.criticality)}${n.focus ? ' netnode--focus' : ''}${n.deviceId ? '' : ' netnode--unknown-device'}`}
                  aria-label={`${nodeTitle(n)}. Centre the map here`}
                  data-ip={p.ip}
                  data-device-id={n.deviceId}
                  data-focus={n.focus}
                  data-x={p.x}
                  data-y={p.y}
                >
                  <title>{nodeTitle(n)}</title>
                  <circle cx={p.x} cy={p.y} r={p.r} />
                  <text className="netnode__label" x={p.x} y={p.y + p.r + 14} textAnchor="middle">
                    {nodeLabel(n)}
                  </text>
                  <text className="netnode__sub" x={p.x} y={p.y + p.r + 28} textAnchor="middle">
                    {nodeSubLabel(n)}
                  </text>
                </a>
              );
            })}
          </g>
        </svg>
      </div>
      <figcaption className="netmap__caption">
        <span id={captionId}>{caption}</span>
        <label className="netmap__toggle">
          <input type="checkbox" checked={labels} onChange={(e) => setLabels(e.target.checked)} /> Show all connection labels
        </label>
      </figcaption>
      <ul className="netmap__legend" aria-label="Legend">
        {(['life-sustaining', 'life-supporting', 'diagnostic', 'therapeutic-non-critical', 'non-clinical'] as const).map((c) => (
          <li key={c}>
            <span className={`netmap__swatch netnode--${c}`} aria-hidden="true" />
            {criticalityLabel(c)}
          </li>
        ))}
        <li>
          <span className="netmap__swatch netnode--unknown" aria-hidden="true" />
          Unknown or not in the inventory
        </li>
        <li>
          <span className="netmap__swatch netmap__swatch--focus" aria-hidden="true" />
          Centre (focus)
        </li>
        <li>Line thickness: bytes exchanged; arrow points to the server</li>
      </ul>
    </figure>
  );
}
