/**
 * @module Sign-in. Shown for any route while nobody is signed in, so a deep link (a device page sent
 * in a ticket) opens where it pointed once the user has authenticated.
 */
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { isApiError } from '../api/client.js';
import { Logo } from '../components/Logo.js';
import { useSession } from '../session/session.js';

function waitText(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.ceil(seconds))} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

function loginErrorText(error: unknown): string {
  if (!isApiError(error)) return 'The server could not be reached. Check your connection and try again.';
  const wait = error.retryAfter !== undefined ? ` Try again in ${waitText(error.retryAfter)}.` : ' Try again later.';
  switch (error.code) {
    case 'auth.invalid_credentials':
      return 'Incorrect username or password.';
    case 'auth.locked':
      return `This account is temporarily locked after repeated failed sign-ins.${wait}`;
    case 'auth.rate_limited':
      return `Too many sign-in attempts.${wait}`;
    default:
      return error.problem.detail ?? error.message;
  }
}

export function LoginPage({ reason }: { reason?: 'expired' | 'signed-out' }) {
  const { login } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [submitting, setSubmitting] = useState(false);
  const userRef = useRef<HTMLInputElement>(null);
  const errorId = 'login-error';

  useEffect(() => {
    userRef.current?.focus();
    document.title = 'Sign in · CareGuard';
  }, []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(undefined);
    try {
      await login(username.trim(), password);
    } catch (e) {
      setError(e);
      setPassword('');
      setSubmitting(false);
    }
  }

  return (
    <main className="login" id="main">
      <div className="login__panel">
        <div className="login__brand">
          <Logo size={40} />
          <div>
            <h1 className="login__title">CareGuard</h1>
            <p className="login__tagline">Medical device security</p>
          </div>
        </div>
        {reason === 'expired' ? (
          <p className="notice notice--info" role="status">
            Your session has ended. Sign in again to continue.
          </p>
        ) : null}
        {reason === 'signed-out' ? (
          <p className="notice notice--info" role="status">
            You have signed out.
          </p>
        ) : null}
        <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate aria-describedby={error ? errorId : undefined}>
          <div className="field">
            <label htmlFor="login-username">Username</label>
            <input
              ref={userRef}
              id="login-username"
              name="username"
              type="text"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              aria-invalid={error ? true : undefined}
            />
          </div>
          <div className="field">
            <label htmlFor="login-password">Password</label>
            <input
              id="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={error ? true : undefined}
            />
          </div>
          {error ? (
            <p className="notice notice--error" id={errorId} role="alert">
              {loginErrorText(error)}
            </p>
          ) : null}
          <button type="submit" className="btn btn--primary btn--block" disabled={submitting || !username || !password}>
            {submitting ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
      <p className="login__footer">Open-source medical device security platform</p>
    </main>
  );
}
