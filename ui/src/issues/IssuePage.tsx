import { useParams } from 'react-router';
import { Placeholder } from '../frame/Placeholder';

export default function IssuePage() {
  const { id } = useParams();
  return (
    <Placeholder title="Issue">
      The issue page comes next. Until then <a href={`/api/issues/${id}`}><code>GET /api/issues/{id}</code></a>
      {' '}has everything about it.
    </Placeholder>
  );
}
