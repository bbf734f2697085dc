/** The events a channel can subscribe to, by the api's names, in the words the settings page shows. */
export const EVENTS = [
  { name: 'issue.red', label: 'New red issue' },
  { name: 'issue.users', label: 'Problem reached 10/100/1000 users' },
  { name: 'pr.opened', label: 'PR opened' },
  { name: 'pr.merged', label: 'PR merged' },
  { name: 'agent.failed', label: 'Agent failed' },
  { name: 'budget.warning', label: 'Budget at 80 %' },
  { name: 'budget.reached', label: 'Budget reached' },
] as const;

export type EventName = (typeof EVENTS)[number]['name'];

/** What a new channel is subscribed to until changed: what a team wants to hear at 2 a.m., not every PR. */
export const DEFAULT_EVENTS: EventName[] = ['issue.red', 'issue.users', 'agent.failed', 'budget.reached'];

export function eventLabel(name: string): string {
  return EVENTS.find((event) => event.name === name)?.label ?? name;
}

/** One notification's event in words, with the threshold it crossed when it says ("Problem reached 100 users"). */
export function notificationLabel(name: string, facts?: Record<string, unknown> | null): string {
  const threshold = facts?.threshold;
  if (name === 'issue.users' && (typeof threshold === 'number' || typeof threshold === 'string')) {
    return `Problem reached ${threshold} users`;
  }
  return eventLabel(name);
}

export type ChannelType = 'slack' | 'webhook';

/** The add-channel form as typed. */
export interface ChannelForm {
  type: ChannelType;
  name: string;
  url: string;
  secret: string;
  events: string[];
  /** The quiet rule: news of a problem (red, more users) at most once an hour to this channel. */
  quiet: boolean;
}

/**
 * The form's mistakes by field, before anything is sent (the api checks again and its words win): a URL that is not
 * http(s), a webhook without its signing secret, no event at all.
 */
export function validateChannel(form: ChannelForm): Partial<Record<keyof ChannelForm, string>> {
  const errors: Partial<Record<keyof ChannelForm, string>> = {};
  const url = form.url.trim();
  if (!url) {
    errors.url = form.type === 'slack' ? 'Paste the Slack incoming webhook URL' : 'Give the URL to POST to';
  } else {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      errors.url = 'This is not an http(s) URL';
    }
  }
  if (form.type === 'webhook' && !form.secret.trim()) {
    errors.secret = 'A webhook needs a secret: Truffles signs every message with it';
  }
  if (form.events.length === 0) {
    errors.events = 'Pick at least one event';
  }
  return errors;
}

/** The chosen events in the api's order (the order the page lists them), whatever order they were ticked in. */
export function inEventOrder(chosen: string[]): string[] {
  return EVENTS.map((event) => event.name).filter((name) => chosen.includes(name));
}

/** The body of `POST /api/notifications/channels`. */
export function channelRequest(form: ChannelForm) {
  return {
    type: form.type,
    url: form.url.trim(),
    ...(form.type === 'webhook' ? { secret: form.secret } : {}),
    events: inEventOrder(form.events),
    quiet: form.quiet,
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
  };
}
