import { Link } from 'react-router';

export function NotFound() {
  return (
    <section className="page placeholder">
      <h1>Nothing here</h1>
      <p>This address is not a page of the dashboard. <Link to="/">Back to the sessions</Link>.</p>
    </section>
  );
}
