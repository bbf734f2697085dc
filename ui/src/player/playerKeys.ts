/** What a key does in the player; null for keys it leaves alone. */
export type PlayerAction =
  | { kind: 'toggle' }
  | { kind: 'seekBy'; seconds: number }
  | { kind: 'marker'; direction: 1 | -1 }
  | { kind: 'frame'; direction: 1 | -1 }
  | { kind: 'fullscreen' }
  | { kind: 'help' };

export const KEY_HELP: [string, string][] = [
  ['Space', 'Play / pause'],
  ['← / →', 'Back / forward 5 seconds'],
  ['Shift + ← / →', 'Previous / next issue marker'],
  [', / .', 'One frame back / forward (while paused)'],
  ['f', 'Full screen'],
  ['?', 'Show these keys'],
];

/** True when the key goes to something the person is typing in, where the player must not act. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

export function actionFor(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey'>):
  PlayerAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  switch (event.key) {
    case ' ':
    case 'k':
      return { kind: 'toggle' };
    case 'ArrowLeft':
      return event.shiftKey ? { kind: 'marker', direction: -1 } : { kind: 'seekBy', seconds: -5 };
    case 'ArrowRight':
      return event.shiftKey ? { kind: 'marker', direction: 1 } : { kind: 'seekBy', seconds: 5 };
    case ',':
      return { kind: 'frame', direction: -1 };
    case '.':
      return { kind: 'frame', direction: 1 };
    case 'f':
      return { kind: 'fullscreen' };
    case '?':
      return { kind: 'help' };
    default:
      return null;
  }
}
