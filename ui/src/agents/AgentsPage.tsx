import { Placeholder } from '../frame/Placeholder';

export default function AgentsPage() {
  return (
    <Placeholder title="Agents">
      Live agents come next. Until then <a href="/api/agents"><code>GET /api/agents</code></a> lists them and the
      WebSocket <code>/ws/agents</code> streams their output.
    </Placeholder>
  );
}
