import { Placeholder } from '../frame/Placeholder';

export default function FalseAlarmsPage() {
  return (
    <Placeholder title="False alarms">
      The false-alarm list comes next. Until then <a href="/api/false-alarms"><code>GET /api/false-alarms</code></a>
      {' '}lists them.
    </Placeholder>
  );
}
