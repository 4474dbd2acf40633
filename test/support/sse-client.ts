export interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads a Server-Sent Events stream over real HTTP until the server closes it. */
export async function readEventStream(url: string): Promise<{ status: number; contentType: string | null; events: SseEvent[] }> {
  const response = await fetch(url, { headers: { Accept: 'text/event-stream' } });
  const events: SseEvent[] = [];
  const text = await response.text();
  for (const block of text.split('\n\n')) {
    if (!block.trim()) continue;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    events.push({ event, data: data.length ? JSON.parse(data.join('\n')) : null });
  }
  return { status: response.status, contentType: response.headers.get('content-type'), events };
}
