import { useParams } from 'react-router';
import { Placeholder } from '../frame/Placeholder';

export default function AgentPage() {
  const { id } = useParams();
  return (
    <Placeholder title="Agent">
      The agent page comes next. Until then <a href={`/api/agents/${id}`}><code>GET /api/agents/{id}</code></a>
      {' '}has its log.
    </Placeholder>
  );
}
