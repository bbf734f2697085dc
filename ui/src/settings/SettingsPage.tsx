import { Placeholder } from '../frame/Placeholder';

export default function SettingsPage() {
  return (
    <Placeholder title="Settings">
      The settings page comes next. Until then <a href="/api/settings"><code>GET /api/settings</code></a> shows them
      (secrets masked) and <code>POST /api/settings/runtime</code> changes them with the admin password.
    </Placeholder>
  );
}
