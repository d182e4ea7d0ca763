/**
 * @module What the network pages show a role without netmon:read that arrives by a pasted link (the
 * navigation hides them; the API would refuse every request anyway).
 */
export function NotAllowed({ title }: { title: string }) {
  return (
    <main className="page" id="main" data-testid="netmon-not-allowed">
      <h1 className="page__title">{title}</h1>
      <div className="notice notice--error" role="alert">
        <div>
          <p className="notice__title">Not allowed</p>
          <p className="notice__body">Your role cannot see passive network monitoring (it needs the netmon:read permission).</p>
        </div>
      </div>
    </main>
  );
}
