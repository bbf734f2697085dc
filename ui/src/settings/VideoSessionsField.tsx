import { VIDEO_SESSIONS, type RuntimeForm } from './runtimeSettings';

/** Which sessions the video models watch, and with `sampled` the share of the quiet ones. */
export function VideoSessionsField({ form, set, error }: {
  form: RuntimeForm;
  set: (name: 'videoSessions' | 'videoSamplePercent', value: string) => void;
  error: string | undefined;
}) {
  return (
    <fieldset className="setting">
      <legend>Sessions the video models watch</legend>
      <select id="setting-videoSessions" aria-label="Sessions the video models watch" value={form.videoSessions}
        onChange={(event) => set('videoSessions', event.target.value)}>
        {form.videoSessions === '' && <option value="">(not set: every session)</option>}
        {VIDEO_SESSIONS.map((choice) => <option key={choice.value} value={choice.value}>{choice.label}</option>)}
      </select>
      {form.videoSessions === 'sampled' && (
        <>
          <label htmlFor="setting-videoSamplePercent">Sample of sessions without signals</label>
          <input id="setting-videoSamplePercent" inputMode="numeric" value={form.videoSamplePercent}
            aria-invalid={!!error} onChange={(event) => set('videoSamplePercent', event.target.value)} />
        </>
      )}
      {(error || form.videoSessions === 'sampled') && (
        <span className={error ? 'field-error' : 'muted small'}>
          {error ? `Sample ${error}` : 'percent, drawn by session id: a retry decides the same'}</span>
      )}
    </fieldset>
  );
}
