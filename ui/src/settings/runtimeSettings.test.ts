import { formOf, runtimeChanges, validateRuntime, type RuntimeSettings, type SettingsLimits } from './runtimeSettings';

// As GET /api/settings answers them (RuntimeSettingsChange.limits()).
const LIMITS: SettingsLimits = {
  numbers: {
    agentTimeoutMinutes: { min: 1, max: 1440 },
    dailyModelBudgetUsd: { min: 0, max: 100000 },
    maxConcurrentAgents: { min: 0, max: 50 },
    pollingIntervalSeconds: { min: 10, max: 86400 },
    rendererConcurrency: { min: 1, max: 16 },
  },
  models: ['screeningModel', 'textModel', 'videoModelPrimary', 'videoModelSecondary'],
  modelName: { maxLength: 200, pattern: '[A-Za-z0-9._:/@+-]+' },
  autoFixSeverities: ['red', 'yellow'],
};

const SAVED: RuntimeSettings = {
  maxConcurrentAgents: 3, agentTimeoutMinutes: 30, pollingIntervalSeconds: 60, rendererConcurrency: 2,
  dailyModelBudgetUsd: 20, videoModelPrimary: 'google/gemini-3-pro-preview', videoModelSecondary: 'openai/gpt-5',
  textModel: 'openai/gpt-5', screeningModel: 'anthropic/claude-haiku-4.5', autoFixSeverities: ['red'],
};

describe('runtime settings validation', () => {
  it('accepts the saved settings and both ends of every range', () => {
    expect(validateRuntime(formOf(SAVED), LIMITS)).toEqual({});
    expect(validateRuntime({ ...formOf(SAVED), maxConcurrentAgents: '0', pollingIntervalSeconds: '86400' }, LIMITS))
      .toEqual({});
  });

  it('flags a value one past either end with the range the api enforces', () => {
    const errors = validateRuntime({
      ...formOf(SAVED), maxConcurrentAgents: '51', pollingIntervalSeconds: '9', rendererConcurrency: '0',
      dailyModelBudgetUsd: '100000.01',
    }, LIMITS);
    expect(errors).toEqual({
      maxConcurrentAgents: 'must be from 0 to 50',
      pollingIntervalSeconds: 'must be from 10 to 86400',
      rendererConcurrency: 'must be from 1 to 16',
      dailyModelBudgetUsd: 'must be from 0 to 100000',
    });
  });

  it('wants whole numbers for counts and minutes but takes cents for the budget', () => {
    const errors = validateRuntime({ ...formOf(SAVED), agentTimeoutMinutes: '2.5', dailyModelBudgetUsd: '12.5',
      maxConcurrentAgents: 'four' }, LIMITS);
    expect(errors).toEqual({ agentTimeoutMinutes: 'must be a whole number', maxConcurrentAgents: 'must be a number' });
  });

  it('checks model names against the api pattern and length', () => {
    const errors = validateRuntime({ ...formOf(SAVED), textModel: 'gpt 5', screeningModel: '',
      videoModelSecondary: 'a'.repeat(201) }, LIMITS);
    expect(Object.keys(errors).sort()).toEqual(['screeningModel', 'textModel', 'videoModelSecondary']);
    expect(errors.videoModelSecondary).toBe('must be at most 200 characters');
  });

  it('refuses a severity the api does not know', () => {
    expect(validateRuntime({ ...formOf(SAVED), autoFixSeverities: ['red', 'green'] }, LIMITS).autoFixSeverities)
      .toContain('green');
  });
});

describe('runtime settings changes', () => {
  it('sends only what changed, numbers as numbers', () => {
    expect(runtimeChanges(formOf(SAVED), SAVED)).toEqual({});
    expect(runtimeChanges({ ...formOf(SAVED), maxConcurrentAgents: '7', textModel: ' openai/gpt-5.1 ',
      autoFixSeverities: ['yellow', 'red'] }, SAVED))
      .toEqual({ maxConcurrentAgents: 7, textModel: 'openai/gpt-5.1', autoFixSeverities: ['yellow', 'red'] });
  });
});

describe('caps and the video policy', () => {
  it('takes a blank optional cap as no cap and a number as the cap; the daily model budget stays required', () => {
    const saved: RuntimeSettings = { ...SAVED, monthlyBudgetUsd: 400, dailyAgentBudgetUsd: null };
    const form = { ...formOf(saved), monthlyBudgetUsd: '', dailyAgentBudgetUsd: '25' };
    expect(validateRuntime(form, LIMITS)).toEqual({});
    expect(runtimeChanges(form, saved)).toEqual({ monthlyBudgetUsd: null, dailyAgentBudgetUsd: 25 });
    expect(validateRuntime({ ...formOf(saved), dailyModelBudgetUsd: '' }, LIMITS))
      .toEqual({ dailyModelBudgetUsd: 'must be a number' });
  });

  it('wants a whole percentage only when sessions are sampled', () => {
    const saved: RuntimeSettings = { ...SAVED, videoSessions: 'signals', videoSamplePercent: 10 };
    expect(validateRuntime({ ...formOf(saved), videoSamplePercent: 'x' }, LIMITS)).toEqual({});
    const sampled = { ...formOf(saved), videoSessions: 'sampled', videoSamplePercent: '12.5' };
    expect(validateRuntime(sampled, LIMITS)).toEqual({ videoSamplePercent: 'must be a whole number from 0 to 100' });
    expect(runtimeChanges({ ...sampled, videoSamplePercent: '20' }, saved))
      .toEqual({ videoSessions: 'sampled', videoSamplePercent: 20 });
  });
});
