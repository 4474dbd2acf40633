export interface SseEvent {
  event: string;
  data: unknown;
}

function parseBlock(block: string): SseEvent | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  // A block of comments only (keep-alive) is no event.
  if (data.length === 0 && event === 'message') return null;
  return { event, data: data.length ? JSON.parse(data.join('\n')) : null };
}

/**
 * Reads a Server-Sent Events stream over real HTTP until the server closes it, handing each
 * event to `onEvent` (awaited) as it arrives.
 */
export async function readEventStream(
  url: string,
  onEvent: (event: SseEvent) => unknown = () => undefined,
): Promise<{ status: number; contentType: string | null; events: SseEvent[] }> {
  const response = await fetch(url, { headers: { Accept: 'text/event-stream' } });
  const events: SseEvent[] = [];
  if (!response.body) return { status: response.status, contentType: response.headers.get('content-type'), events };
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = parseBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event) {
        events.push(event);
        await onEvent(event);
      }
    }
  }
  return { status: response.status, contentType: response.headers.get('content-type'), events };
}
