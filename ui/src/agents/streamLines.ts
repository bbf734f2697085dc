// The claude CLI's stream-json lines as the runner stores them, for the tests.

export function toolUse(id: string, name: string, input: unknown, messageId = `msg_${id}`): string {
  return JSON.stringify({ type: 'assistant', message: { id: messageId, content: [{ type: 'tool_use', id, name, input }],
    usage: { input_tokens: 100, cache_read_input_tokens: 20, output_tokens: 30 } } });
}

export function toolResult(id: string, content: unknown, isError = false): string {
  return JSON.stringify({ type: 'user', message: { role: 'user',
    content: [{ type: 'tool_result', tool_use_id: id, content, is_error: isError }] } });
}

export function assistantText(text: string, messageId = 'msg_text'): string {
  return JSON.stringify({ type: 'assistant', message: { id: messageId, content: [{ type: 'text', text }],
    usage: { input_tokens: 10, output_tokens: 5 } } });
}

export function phaseResult(costUsd: number, ok = true): string {
  return JSON.stringify({ type: 'result', subtype: ok ? 'success' : 'error_during_execution', is_error: !ok,
    duration_ms: 4200, total_cost_usd: costUsd, result: 'ok' });
}
