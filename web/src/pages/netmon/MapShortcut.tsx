/**
 * @module A shortcut from the Network page to the communication map of one address (zones and
 * devices are chosen on the map page itself, or from the zones panel and device pages).
 */
import { useState } from 'react';
import { navigate } from '../../router/index.js';
import { checkMapFocus, mapHref } from './routes.js';

export function MapShortcut() {
  const [ip, setIp] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  return (
    <section className="card" aria-labelledby="mapshortcut-title">
      <h2 className="card__title" id="mapshortcut-title">
        Communication map
      </h2>
      <form
        className="mapshortcut"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const problem = checkMapFocus('ip', ip);
          setError(problem);
          if (!problem) navigate(mapHref({ kind: 'ip', value: ip.trim() }));
        }}
      >
        <div className="field mapshortcut__field">
          <label htmlFor="mapshortcut-ip">Who does this address talk to?</label>
          <input
            id="mapshortcut-ip"
            type="text"
            value={ip}
            onChange={(e) => setIp(e.target.value)}
            placeholder="10.40.2.17"
            maxLength={45}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'mapshortcut-error' : undefined}
          />
        </div>
        <button type="submit" className="btn btn--secondary">
          Show map
        </button>
      </form>
      {error ? (
        <p className="field__error" id="mapshortcut-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
