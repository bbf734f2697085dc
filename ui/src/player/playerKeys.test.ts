import { actionFor, isTyping } from './playerKeys';

const key = (k: string, shiftKey = false) => ({ key: k, shiftKey, ctrlKey: false, metaKey: false, altKey: false });

describe('player keys', () => {
  it('map to actions', () => {
    expect(actionFor(key(' '))).toEqual({ kind: 'toggle' });
    expect(actionFor(key('ArrowLeft'))).toEqual({ kind: 'seekBy', seconds: -5 });
    expect(actionFor(key('ArrowRight', true))).toEqual({ kind: 'marker', direction: 1 });
    expect(actionFor(key(','))).toEqual({ kind: 'frame', direction: -1 });
    expect(actionFor(key('f'))).toEqual({ kind: 'fullscreen' });
    expect(actionFor(key('?', true))).toEqual({ kind: 'help' });
    expect(actionFor(key('x'))).toBeNull();
    expect(actionFor({ ...key('f'), ctrlKey: true })).toBeNull();
  });

  it('do nothing while the person types', () => {
    const input = document.createElement('input');
    const select = document.createElement('select');
    const button = document.createElement('button');
    expect(isTyping(input)).toBe(true);
    expect(isTyping(select)).toBe(true);
    expect(isTyping(button)).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});
