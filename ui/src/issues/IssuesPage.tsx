import { Placeholder } from '../frame/Placeholder';

export default function IssuesPage() {
  return (
    <Placeholder title="Issues">
      The issues board comes next. Until then every session page lists its issues, and <code>GET /api/issues</code>
      {' '}returns them all.
    </Placeholder>
  );
}
