import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { formatStart } from '../../sessions/format';
import { AdminActionCancelled, useAdminAction } from '../useAdminAction';
import {
  DEFAULT_EVENTS, EVENTS, channelRequest, eventLabel, inEventOrder, notificationLabel, validateChannel, type ChannelForm,
  type ChannelType,
} from './notificationEvents';
import {
  sendTestMessage, useAddChannel, useChangeChannel, useChannels, useDeleteChannel, useRecentNotifications,
  useResumeChannel,
  type Channel, type Delivery, type NotificationRecord, type TestResult,
} from './useNotifications';

type Run = ReturnType<typeof useAdminAction>['run'];

/** The settings page's notifications section: channels, adding one, and what was sent lately. */
export default function NotificationsSettings() {
  const admin = useAdminAction();
  return (
    <section className="panel notifications" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      <p className="muted small">Slack channels and signed webhooks that hear about new red issues, problems reaching
        many users, pull requests, failed agents and budgets. A quiet channel (the default) hears news of a problem at
        most once an hour (pull requests and failed agents always go); a channel that keeps failing is paused until you
        resume it.</p>
      <ChannelList run={admin.run} />
      <AddChannel run={admin.run} />
      <RecentNotifications />
      {admin.dialog}
    </section>
  );
}

function ChannelList({ run }: { run: Run }) {
  const channels = useChannels();
  if (channels.isPending) return <p className="loading" role="status">Loading channels…</p>;
  if (channels.isError) {
    return <p className="error-box" role="alert">Could not load the channels: {channels.error.message}</p>;
  }
  if (channels.data.length === 0) {
    return <p className="list-empty">No channel yet: nobody is told when something goes wrong. Add one below.</p>;
  }
  return (
    <table className="table channels">
      <caption className="visually-hidden">Notification channels</caption>
      <thead>
        <tr><th scope="col">Channel</th><th scope="col">Events</th><th scope="col">State</th>
          <th scope="col">Last delivery</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
      </thead>
      <tbody>
        {channels.data.map((channel) => <ChannelRow key={channel._id} channel={channel} run={run} />)}
      </tbody>
    </table>
  );
}

function channelTitle(channel: Channel) {
  return channel.name || (channel.type === 'slack' ? 'Slack' : 'Webhook');
}

/** The events a channel takes, and an editor for them that saves through the api. */
function ChannelEvents({ channel, title, act }: {
  channel: Channel; title: string; act: (action: () => Promise<unknown>) => Promise<void>;
}) {
  const change = useChangeChannel();
  const [editing, setEditing] = useState<string[] | null>(null);
  if (editing === null) {
    return (
      <>
        {channel.events.map(eventLabel).join(', ')}{' '}
        <button type="button" className="link-button" aria-label={`Edit events of ${title}`}
          onClick={() => setEditing(channel.events)}>Edit</button>
      </>
    );
  }
  return (
    <fieldset className="events">
      <legend className="visually-hidden">Events of {title}</legend>
      {EVENTS.map((event) => (
        <label key={event.name} className="check">
          <input type="checkbox" checked={editing.includes(event.name)}
            onChange={(tick) => setEditing(tick.target.checked
              ? [...editing, event.name] : editing.filter((name) => name !== event.name))} />
          {event.label}
        </label>
      ))}
      {editing.length === 0 && <span className="field-error">Pick at least one event</span>}
      <button type="button" className="primary" disabled={editing.length === 0 || change.isPending}
        aria-label={`Save events of ${title}`} onClick={() => act(async () => {
          await change.mutateAsync({ id: channel._id, change: { events: inEventOrder(editing) } });
          setEditing(null);
        })}>Save</button>
      <button type="button" className="link-button" onClick={() => setEditing(null)}>Cancel</button>
    </fieldset>
  );
}

function ChannelRow({ channel, run }: { channel: Channel; run: Run }) {
  const remove = useDeleteChannel();
  const resume = useResumeChannel();
  const change = useChangeChannel();
  const [confirming, setConfirming] = useState(false);
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<TestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const title = channelTitle(channel);
  const act = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await run(action);
    } catch (caught) {
      if (!(caught instanceof AdminActionCancelled)) setError((caught as Error).message);
    }
  };
  const last = channel.lastDelivery;
  return (
    <tr data-channel={channel._id}>
      <th scope="row">
        <span className="badge">{channel.type === 'slack' ? 'Slack' : 'Webhook'}</span> {title}
        <div className="muted small"><code>{channel.url}</code>{channel.secret && <> · secret <code>{channel.secret}</code></>}</div>
      </th>
      <td className="small"><ChannelEvents channel={channel} title={title} act={act} /></td>
      <td>
        {channel.paused ? (
          <span className="field-error">Paused{channel.pausedReason ? `: ${channel.pausedReason}` : ''}</span>
        ) : <span className="ok">Active</span>}
        <label className="check small" title="News of a problem (red, more users) at most once an hour">
          <input type="checkbox" checked={channel.quiet !== false} disabled={change.isPending}
            aria-label={`Quiet rule for ${title}`}
            onChange={(tick) => act(() => change.mutateAsync({
              id: channel._id, change: { quiet: tick.target.checked },
            }))} />
          {channel.quiet !== false ? 'Quiet: once an hour per problem' : 'Every message'}
        </label>
      </td>
      <td className="small">
        {!last ? <span className="muted">Nothing sent yet</span> : (
          <>
            {formatStart(last.at)} · {last.ok ? <span className="ok">delivered</span>
              : <span className="field-error">failed</span>}
            {last.status !== null && ` (HTTP ${last.status})`}
            {last.error && <div className="field-error">{last.error}</div>}
          </>
        )}
      </td>
      <td className="row-actions">
        <button type="button" disabled={testing} aria-label={`Send test message to ${title}`} onClick={async () => {
          setTest(null);
          setTesting(true);
          try {
            await act(async () => setTest(await sendTestMessage(channel._id)));
          } finally {
            setTesting(false);
          }
        }}>{testing ? 'Sending…' : 'Send test message'}</button>
        {channel.paused && (
          <button type="button" disabled={resume.isPending} aria-label={`Resume ${title}`}
            onClick={() => act(() => resume.mutateAsync(channel._id))}>Resume</button>
        )}
        {!confirming ? (
          <button type="button" className="link-button" aria-label={`Delete ${title}`}
            onClick={() => setConfirming(true)}>Delete</button>
        ) : (
          <span role="group" aria-label={`Confirm deleting ${title}`}>
            Delete {title}? Messages still waiting for it will not be sent.{' '}
            <button type="button" className="primary" disabled={remove.isPending}
              onClick={() => act(() => remove.mutateAsync(channel._id))}>Delete channel</button>
            <button type="button" className="link-button" onClick={() => setConfirming(false)}>Keep it</button>
          </span>
        )}
        {test && (
          <p role="status" className={test.ok ? 'ok' : 'field-error'}>
            {test.ok ? `Test message delivered${test.status ? ` (HTTP ${test.status})` : ''}.`
              : `Test message failed${test.status ? ` (HTTP ${test.status})` : ''}: ${test.error ?? 'no answer'}`}
          </p>
        )}
        {error && <p role="alert" className="field-error">{error}</p>}
      </td>
    </tr>
  );
}

const EMPTY_FORM: ChannelForm = { type: 'slack', name: '', url: '', secret: '', events: DEFAULT_EVENTS, quiet: true };

function AddChannel({ run }: { run: Run }) {
  const add = useAddChannel();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<ChannelForm>(EMPTY_FORM);
  const [tried, setTried] = useState(false);
  const [serverError, setServerError] = useState<{ field: string | null; message: string } | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const errors = validateChannel(form);
  const shown = (field: keyof ChannelForm) => (tried ? errors[field] : undefined)
    ?? (serverError?.field === field ? serverError.message : undefined);
  const set = <K extends keyof ChannelForm>(field: K, value: ChannelForm[K]) => {
    setForm((old) => ({ ...old, [field]: value }));
    setServerError(null);
  };

  if (!open) {
    return (
      <div className="form-actions">
        {added && <p role="status" className="ok">{added}</p>}
        <button type="button" className="primary" onClick={() => { setOpen(true); setAdded(null); }}>Add channel</button>
      </div>
    );
  }
  return (
    <form className="add-channel" aria-labelledby="add-channel-title" noValidate onSubmit={async (event) => {
      event.preventDefault();
      setTried(true);
      if (Object.keys(errors).length > 0) return;
      setServerError(null);
      try {
        const channel = await run(() => add.mutateAsync(channelRequest(form)));
        setAdded(`Added ${channelTitle(channel)}. Send it a test message to check it.`);
        setForm(EMPTY_FORM);
        setTried(false);
        setOpen(false);
      } catch (error) {
        if (error instanceof AdminActionCancelled) return;
        setServerError({ field: error instanceof ApiError ? error.field : null, message: (error as Error).message });
      }
    }}>
      <h3 id="add-channel-title">Add channel</h3>
      <div className="settings-grid">
        <fieldset className="setting">
          <legend>Kind</legend>
          {(['slack', 'webhook'] as ChannelType[]).map((type) => (
            <label key={type} className="check">
              <input type="radio" name="channel-type" value={type} checked={form.type === type}
                onChange={() => set('type', type)} />
              {type === 'slack' ? 'Slack (incoming webhook)' : 'Webhook (signed JSON)'}
            </label>
          ))}
        </fieldset>
        <div className="setting">
          <label htmlFor="channel-name">Name (optional)</label>
          <input id="channel-name" value={form.name} placeholder={form.type === 'slack' ? '#incidents' : 'pager bridge'}
            onChange={(event) => set('name', event.target.value)} />
        </div>
        <div className="setting">
          <label htmlFor="channel-url">URL</label>
          <input id="channel-url" type="url" value={form.url} autoComplete="off" spellCheck={false}
            placeholder={form.type === 'slack' ? 'https://hooks.slack.com/services/…' : 'https://example.com/truffles'}
            aria-invalid={!!shown('url')} aria-describedby="channel-url-hint"
            onChange={(event) => set('url', event.target.value)} />
          <span id="channel-url-hint" className={shown('url') ? 'field-error' : 'muted small'}>
            {shown('url') ?? 'A secret: shown afterwards as its last 4 characters only'}</span>
        </div>
        {form.type === 'webhook' && (
          <div className="setting">
            <label htmlFor="channel-secret">Signing secret</label>
            <input id="channel-secret" type="password" value={form.secret} autoComplete="off"
              aria-invalid={!!shown('secret')} aria-describedby="channel-secret-hint"
              onChange={(event) => set('secret', event.target.value)} />
            <span id="channel-secret-hint" className={shown('secret') ? 'field-error' : 'muted small'}>
              {shown('secret') ?? <>Each POST carries <code>X-Truffles-Signature: sha256=</code>HMAC of
                {' '}<code>timestamp.body</code> with it</>}</span>
          </div>
        )}
        <fieldset className="setting events" aria-describedby="channel-events-hint">
          <legend>Tell it about</legend>
          {EVENTS.map((event) => (
            <label key={event.name} className="check">
              <input type="checkbox" checked={form.events.includes(event.name)}
                onChange={(change) => set('events', change.target.checked
                  ? [...form.events, event.name] : form.events.filter((name) => name !== event.name))} />
              {event.label}
            </label>
          ))}
          {shown('events') && <span id="channel-events-hint" className="field-error">{shown('events')}</span>}
        </fieldset>
        <div className="setting">
          <label className="check">
            <input type="checkbox" checked={form.quiet} onChange={(tick) => set('quiet', tick.target.checked)} />
            Quiet: news of a problem at most once an hour
          </label>
          <span className="muted small">Pull requests and failed agents always go. Untick for a receiver that
            wants every message (it can drop repeats by <code>X-Truffles-Delivery</code>).</span>
        </div>
      </div>
      <div className="form-actions">
        {serverError && !['url', 'secret', 'events'].includes(serverError.field ?? '') && (
          <p role="alert" className="field-error">Not added: {serverError.message}</p>
        )}
        <button type="button" onClick={() => { setOpen(false); setForm(EMPTY_FORM); setTried(false); }}>Cancel</button>
        <button type="submit" className="primary" disabled={add.isPending}>{add.isPending ? 'Adding…' : 'Add'}</button>
      </div>
    </form>
  );
}

const STATE_WORDS: Record<string, string> = {
  sent: 'sent', failed: 'failed', quieted: 'quieted (one per problem per hour)', pending: 'waiting',
  sending: 'sending', paused: 'waiting: channel paused',
};

function subjectLink(notification: NotificationRecord) {
  const id = notification.subjectId;
  if (!id) return null;
  if (notification.event.startsWith('issue.') || notification.event.startsWith('pr.')) {
    return <Link to={`/issues/${encodeURIComponent(id)}`}>issue</Link>;
  }
  if (notification.event === 'agent.failed') return <Link to={`/agents/${encodeURIComponent(id)}`}>agent</Link>;
  return <span className="muted">{id}</span>;
}

function DeliveryState({ delivery }: { delivery: Delivery }) {
  const state = delivery.state ?? delivery.status ?? 'pending';
  const bad = state === 'failed';
  return (
    <li>
      {delivery.channelName || delivery.channelType || 'channel'}:{' '}
      <span className={bad ? 'field-error' : state === 'sent' ? 'ok' : 'muted'}>{STATE_WORDS[state] ?? state}</span>
      {delivery.attempts ? <span className="muted"> · {delivery.attempts} attempt{delivery.attempts === 1 ? '' : 's'}</span> : null}
      {delivery.lastError && <span className="field-error"> · {delivery.lastError}</span>}
    </li>
  );
}

function RecentNotifications() {
  const recent = useRecentNotifications();
  return (
    <section aria-labelledby="recent-notifications-title">
      <h3 id="recent-notifications-title">Recent notifications</h3>
      {recent.isPending ? <p className="loading" role="status">Loading…</p>
        : recent.isError ? <p className="error-box" role="alert">Could not load them: {recent.error.message}</p>
          : recent.data.length === 0 ? <p className="list-empty">Nothing has been sent yet.</p> : (
            <table className="table recent-notifications">
              <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">About</th>
                <th scope="col">Deliveries</th></tr></thead>
              <tbody>
                {recent.data.map((notification) => (
                  <tr key={notification._id ?? notification.key}>
                    <td className="small">{formatStart(notification.at ?? notification.createdAt)}</td>
                    <td>{notificationLabel(notification.event, notification.facts)}</td>
                    <td>{subjectLink(notification)}</td>
                    <td>
                      {(notification.deliveries ?? []).length === 0
                        ? <span className="muted small">no channel takes this event</span> : (
                          <ul className="deliveries small">
                            {(notification.deliveries ?? []).map((delivery) => (
                              <DeliveryState key={delivery.channelId} delivery={delivery} />
                            ))}
                          </ul>
                        )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
    </section>
  );
}
