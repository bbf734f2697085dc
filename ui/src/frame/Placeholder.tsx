import { Link } from 'react-router';

/** A page the dashboard will have (ui part 2) and what to use until then. */
export function Placeholder({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="page placeholder">
      <h1>{title}</h1>
      <p>{children}</p>
      <p><Link to="/">Back to the sessions</Link></p>
    </section>
  );
}
