/**
 * @module Who is signed in. Probes GET /auth/me once at start (a reload keeps the HttpOnly cookie but
 * loses the in-memory CSRF token, which /me hands back), exposes login/logout, and answers "may this
 * user do X" from the permissions the server granted — the UI hides what the API would refuse anyway.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api, isApiError, setCsrfToken, setUnauthenticatedHandler } from '../api/client.js';
import type { MeResponse, SessionUser } from '../api/types.js';

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; reason?: 'expired' | 'signed-out' }
  | { status: 'authenticated'; user: SessionUser; permissions: ReadonlySet<string> };

interface SessionApi {
  state: SessionState;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  can(permission: string): boolean;
}

const SessionContext = createContext<SessionApi | undefined>(undefined);

function fromMe(me: MeResponse): SessionState {
  if (!me.user) return { status: 'anonymous' };
  if (me.csrfToken) setCsrfToken(me.csrfToken);
  const permissions = me.permissions ?? me.user.permissions ?? [];
  return { status: 'authenticated', user: me.user, permissions: new Set(permissions) };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    api
      .me(controller.signal)
      .then((me) => setState(fromMe(me)))
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        // 401 is the normal "not signed in" answer; anything else still means we cannot proceed
        if (!isApiError(e) || e.status !== 401) console.warn('session probe failed', e);
        setState({ status: 'anonymous' });
      });
    setUnauthenticatedHandler(() => {
      setCsrfToken(undefined);
      setState({ status: 'anonymous', reason: 'expired' });
    });
    return () => {
      controller.abort();
      setUnauthenticatedHandler(undefined);
    };
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const res = await api.login(username, password);
    setCsrfToken(res.csrfToken);
    if (res.user.permissions) {
      setState({ status: 'authenticated', user: res.user, permissions: new Set(res.user.permissions) });
      return;
    }
    // a login answer without the permission list: /me carries the effective permissions
    setState(fromMe(await api.me()));
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setCsrfToken(undefined);
      setState({ status: 'anonymous', reason: 'signed-out' });
    }
  }, []);

  const value = useMemo<SessionApi>(
    () => ({
      state,
      login,
      logout,
      can: (permission) => state.status === 'authenticated' && state.permissions.has(permission),
    }),
    [state, login, logout],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession must be used inside <SessionProvider>');
  return ctx;
}
