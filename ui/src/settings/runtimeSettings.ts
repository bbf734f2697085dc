// The runtime settings form: its values as typed, checked against the limits the api itself enforces
// (`limits` in GET /api/settings), so a value the api would refuse is flagged before it is sent.

export interface RuntimeSettings {
  maxConcurrentAgents: number | null;
  agentTimeoutMinutes: number | null;
  pollingIntervalSeconds: number | null;
  rendererConcurrency: number | null;
  dailyModelBudgetUsd: number | null;
  videoModelPrimary: string | null;
  videoModelSecondary: string | null;
  textModel: string | null;
  screeningModel: string | null;
  autoFixSeverities: string[] | null;
  /** Spending caps beside `dailyModelBudgetUsd`; `null` (or absent) is no cap. */
  dailyAgentBudgetUsd?: number | null;
  agentRunBudgetUsd?: number | null;
  monthlyBudgetUsd?: number | null;
  /** Which sessions the video models watch. */
  videoSessions?: VideoSessions | null;
  /** With `sampled`: the percentage of sessions without signals that are watched too. */
  videoSamplePercent?: number | null;
  updatedAt?: string | null;
}

export type VideoSessions = 'all' | 'signals' | 'sampled';

export const VIDEO_SESSIONS: { value: VideoSessions; label: string }[] = [
  { value: 'all', label: 'Every session' },
  { value: 'signals', label: 'Only sessions with signals (detector findings, PostHog errors)' },
  { value: 'sampled', label: 'Sessions with signals, plus a sample of the rest' },
];

export interface SettingsLimits {
  numbers: Record<string, { min: number; max: number }>;
  models: string[];
  modelName: { maxLength: number; pattern: string };
  autoFixSeverities: string[];
  /** Settings that may be cleared (`null`: no cap). */
  clearable?: string[];
  videoSessions?: string[];
}

export interface SettingsView {
  runtime: RuntimeSettings;
  secrets: Record<string, string>;
  environment: Record<string, string>;
  envFile: string;
  limits: SettingsLimits;
}

export const NUMBER_FIELDS = [
  { name: 'maxConcurrentAgents', label: 'Max concurrent agents', unit: 'agents', whole: true },
  { name: 'agentTimeoutMinutes', label: 'Agent timeout', unit: 'minutes', whole: true },
  { name: 'pollingIntervalSeconds', label: 'Polling interval', unit: 'seconds', whole: true },
  { name: 'rendererConcurrency', label: 'Renderer concurrency', unit: 'renders at once', whole: true },
  { name: 'dailyModelBudgetUsd', label: 'Daily model budget', unit: 'US dollars', whole: false },
  { name: 'dailyAgentBudgetUsd', label: 'Daily agent budget', unit: 'US dollars', whole: false, optional: true },
  { name: 'agentRunBudgetUsd', label: 'Budget per agent run', unit: 'US dollars', whole: false, optional: true },
  { name: 'monthlyBudgetUsd', label: 'Monthly budget (models + agents)', unit: 'US dollars', whole: false,
    optional: true },
] as const;

/** Caps that may be left blank: no cap. */
export function isOptional(field: (typeof NUMBER_FIELDS)[number]): boolean {
  return 'optional' in field && field.optional;
}

export const MODEL_FIELDS = [
  { name: 'videoModelPrimary', label: 'Video model (primary)' },
  { name: 'videoModelSecondary', label: 'Video model (secondary)' },
  { name: 'textModel', label: 'Text model' },
  { name: 'screeningModel', label: 'Screening model' },
] as const;

type FieldName = (typeof NUMBER_FIELDS)[number]['name'] | (typeof MODEL_FIELDS)[number]['name'];

/** The form: every value as typed (text), severities as a set. */
export type RuntimeForm = Record<FieldName, string> & {
  autoFixSeverities: string[];
  videoSessions: string;
  videoSamplePercent: string;
};

export function formOf(settings: RuntimeSettings): RuntimeForm {
  const form = {
    autoFixSeverities: [...(settings.autoFixSeverities ?? [])],
    videoSessions: settings.videoSessions ?? '',
    videoSamplePercent: settings.videoSamplePercent == null ? '' : String(settings.videoSamplePercent),
  } as RuntimeForm;
  for (const field of [...NUMBER_FIELDS, ...MODEL_FIELDS]) {
    const value = settings[field.name as keyof RuntimeSettings];
    form[field.name] = value === null || value === undefined ? '' : String(value);
  }
  return form;
}

/** Problems per field, in the api's words where it has them; empty when the form may be sent. */
export function validateRuntime(form: RuntimeForm, limits: SettingsLimits): Partial<Record<keyof RuntimeForm, string>> {
  const errors: Partial<Record<keyof RuntimeForm, string>> = {};
  for (const field of NUMBER_FIELDS) {
    const text = form[field.name].trim();
    const range = limits.numbers[field.name];
    const value = Number(text);
    if (text === '' && isOptional(field)) continue;
    if (text === '' || !Number.isFinite(value)) {
      errors[field.name] = 'must be a number';
    } else if (field.whole && !Number.isInteger(value)) {
      errors[field.name] = 'must be a whole number';
    } else if (range && (value < range.min || value > range.max)) {
      errors[field.name] = `must be from ${range.min} to ${range.max}`;
    }
  }
  const pattern = new RegExp(`^(?:${limits.modelName.pattern})$`);
  for (const field of MODEL_FIELDS) {
    const text = form[field.name].trim();
    if (text === '') {
      errors[field.name] = 'is required';
    } else if (text.length > limits.modelName.maxLength) {
      errors[field.name] = `must be at most ${limits.modelName.maxLength} characters`;
    } else if (!pattern.test(text)) {
      errors[field.name] = 'must be an OpenRouter model name such as google/gemini-3-pro-preview';
    }
  }
  if (form.videoSessions === 'sampled') {
    const text = form.videoSamplePercent.trim();
    const range = limits.numbers.videoSamplePercent ?? { min: 0, max: 100 };
    const value = Number(text);
    if (text === '' || !Number.isInteger(value) || value < range.min || value > range.max) {
      errors.videoSamplePercent = `must be a whole number from ${range.min} to ${range.max}`;
    }
  }
  const unknown = form.autoFixSeverities.filter((severity) => !limits.autoFixSeverities.includes(severity));
  if (unknown.length) errors.autoFixSeverities = `${unknown.join(', ')} is not one of ${limits.autoFixSeverities.join(', ')}`;
  return errors;
}

/** Only what changed, as the api takes it (numbers as numbers); empty when nothing did. */
export function runtimeChanges(form: RuntimeForm, saved: RuntimeSettings): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const field of NUMBER_FIELDS) {
    const text = form[field.name].trim();
    // a blank optional cap is sent as null: no cap
    const value = text === '' && isOptional(field) ? null : Number(text);
    if (value !== (saved[field.name as keyof RuntimeSettings] ?? null)) changes[field.name] = value;
  }
  if (form.videoSessions !== '' && form.videoSessions !== (saved.videoSessions ?? '')) {
    changes.videoSessions = form.videoSessions;
  }
  const percent = form.videoSamplePercent.trim();
  if (percent !== '' && Number(percent) !== saved.videoSamplePercent) changes.videoSamplePercent = Number(percent);
  for (const field of MODEL_FIELDS) {
    const value = form[field.name].trim();
    if (value !== saved[field.name]) changes[field.name] = value;
  }
  const before = [...(saved.autoFixSeverities ?? [])].sort().join(',');
  if ([...form.autoFixSeverities].sort().join(',') !== before) changes.autoFixSeverities = form.autoFixSeverities;
  return changes;
}
