import { RawSection } from '../check';

/** How the framed output of one probe run was received. */
export interface ProbeCapture {
  stdout: string;
  stderr: string;
  /** Set when a stream was cut at the size cap. */
  stdoutTruncated?: boolean;
  stderrTruncated?: boolean;
  /** Collector clock (ms) at which each marker was first seen on stdout, by marker body. */
  markerTimes?: Record<string, number>;
}

export interface ParsedProbe {
  sections: RawSection[];
  /** True when the script reached its final marker and every section was framed correctly. */
  complete: boolean;
  /** Why the framing is not complete, when it is not. */
  problem?: string;
}

interface Marker {
  body: string;
  /** Offset of the marker line's first character. */
  start: number;
  /** Offset just past the marker line's newline. */
  end: number;
}

function findMarkers(text: string, nonce: string): Marker[] {
  const markers: Marker[] = [];
  const prefix = `@@DW:${nonce}:`;
  let from = 0;
  for (;;) {
    const at = text.indexOf(prefix, from);
    if (at < 0) break;
    const close = text.indexOf('@@\n', at + prefix.length);
    const atLineStart = at === 0 || text[at - 1] === '\n';
    if (close < 0) break;
    const body = text.slice(at + prefix.length, close);
    if (atLineStart && !body.includes('\n')) markers.push({ body, start: at, end: close + 3 });
    from = at + prefix.length;
  }
  return markers;
}

interface StreamSection {
  id: string;
  exitCode: number | null;
  content: string;
  meta: Record<string, string>;
  ended: boolean;
}

interface StreamParse {
  sections: Map<string, StreamSection>;
  done: boolean;
  problem?: string;
}

/**
 * Walks one stream's markers in script order. Anything that breaks the expected sequence
 * (an unknown or repeated id, an end without a begin, a marker after `done`) stops the walk:
 * sections after that point are left unframed rather than trusted.
 */
function parseStream(text: string, nonce: string, expected: readonly string[], withMeta: boolean): StreamParse {
  const sections = new Map<string, StreamSection>();
  const markers = findMarkers(text, nonce);
  let next = 0;
  let open: { section: StreamSection; contentStart: number; metaSpans: [number, number][] } | null = null;
  const fail = (problem: string): StreamParse => ({ sections, done: false, problem });

  for (const marker of markers) {
    const [verb, ...rest] = marker.body.split(':');
    if (verb === 'meta') {
      if (!open || !withMeta) return fail('meta marker outside a section');
      const kv = rest.join(':');
      const eq = kv.indexOf('=');
      if (eq > 0) addMeta(open.section.meta, kv.slice(0, eq), kv.slice(eq + 1));
      open.metaSpans.push([marker.start, marker.end]);
      continue;
    }
    if (verb === 'begin') {
      const id = rest.join(':');
      if (open) return fail(`section ${open.section.id} not ended before ${id}`);
      if (expected[next] !== id) return fail(`unexpected section ${id}`);
      const section: StreamSection = { id, exitCode: null, content: '', meta: {}, ended: false };
      sections.set(id, section);
      open = { section, contentStart: marker.end, metaSpans: [] };
      next++;
      continue;
    }
    if (verb === 'end') {
      const rc = rest.pop();
      const id = rest.join(':');
      if (!open || open.section.id !== id || !/^\d+$/.test(rc ?? '')) return fail(`unexpected end of ${id}`);
      // dw_run prints one newline before the end marker so it starts a line: drop exactly that one.
      let contentEnd = marker.start;
      if (contentEnd > open.contentStart && text[contentEnd - 1] === '\n') contentEnd--;
      open.section.content = sliceWithout(text, open.contentStart, contentEnd, open.metaSpans);
      open.section.exitCode = Number(rc);
      open.section.ended = true;
      open = null;
      continue;
    }
    if (verb === 'done' && rest.length === 0) {
      if (open || next !== expected.length) return fail('probe ended early');
      return { sections, done: true };
    }
    return fail(`unknown marker ${verb}`);
  }
  if (open) open.section.content = sliceWithout(text, open.contentStart, text.length, open.metaSpans);
  return fail(open ? `section ${open.section.id} never ended` : 'probe did not finish');
}

/**
 * A key noted more than once keeps every value, one a line (dw_meta values never contain a
 * newline): a fragment that runs several commands notes each as `cmd`.
 */
function addMeta(meta: Record<string, string>, key: string, value: string): void {
  const before = Object.prototype.hasOwnProperty.call(meta, key) ? meta[key] : undefined;
  Object.defineProperty(meta, key, { value: before === undefined ? value : `${before}\n${value}`, enumerable: true, writable: true, configurable: true });
}

function sliceWithout(text: string, start: number, end: number, spans: [number, number][]): string {
  let out = '';
  let pos = start;
  for (const [s, e] of spans) {
    if (s >= end) break;
    out += text.slice(pos, s);
    pos = Math.min(e, end);
  }
  return out + text.slice(pos, end);
}

/**
 * Splits a probe's captured stdout and stderr into one RawSection per expected check.
 * A section whose markers are missing or out of order comes back with `exitCode: null` and
 * `truncated: true`; its check's parser then reports it as failed.
 */
export function parseProbeOutput(capture: ProbeCapture, nonce: string, expected: readonly string[]): ParsedProbe {
  const out = parseStream(capture.stdout, nonce, expected, true);
  const err = parseStream(capture.stderr, nonce, expected, false);
  const times = capture.markerTimes ?? {};
  const sections: RawSection[] = expected.map((id) => {
    const o = out.sections.get(id);
    const e = err.sections.get(id);
    const framed = !!o?.ended && !!e?.ended;
    const began = times[`begin:${id}`];
    const ended = o?.ended ? times[`end:${id}:${o.exitCode}`] : undefined;
    return {
      id,
      exitCode: framed ? o!.exitCode : null,
      stdout: o?.content ?? '',
      stderr: e?.content ?? '',
      durationMs: began !== undefined && ended !== undefined ? Math.max(0, ended - began) : null,
      truncated: !framed,
      meta: o?.meta ?? {},
    };
  });
  const problem = out.problem ?? err.problem;
  const cut = capture.stdoutTruncated || capture.stderrTruncated;
  return {
    sections,
    complete: out.done && err.done && !cut,
    problem: cut ? 'output exceeded the size cap and was truncated' : problem,
  };
}

const EMPTY = Buffer.alloc(0);
const AT = 0x40; // '@'
const MARKER_END = Buffer.from('@@');
/** Longer than any marker the probe prints (`end:<check id>:<exit code>`). */
const MAX_MARKER_BODY = 256;

/**
 * Records when each marker first arrives on stdout, so section durations are measured on the
 * collector without costing the host a `date` call per check. Feed it every stdout chunk.
 */
export class MarkerClock {
  private readonly prefix: Buffer;
  /** Bytes of the previous chunk that may begin a marker the next chunk completes. */
  private tail: Buffer = EMPTY;
  readonly times: Record<string, number> = {};

  constructor(nonce: string, private readonly now: () => number = Date.now) {
    this.prefix = Buffer.from(`@@DW:${nonce}:`);
  }

  // Called for every chunk of every scan (often hundreds per host), so it copies nothing in
  // the common case: a chunk without a marker, or one whose markers all end inside it.
  observe(chunk: Buffer): void {
    const data = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    let from = 0;
    for (;;) {
      const at = data.indexOf(this.prefix, from);
      if (at < 0) break;
      const close = data.indexOf(MARKER_END, at + this.prefix.length);
      if (close < 0) {
        // A marker cut by the chunk boundary; a "marker" longer than any real one is not kept.
        this.tail = data.length - at <= this.prefix.length + MAX_MARKER_BODY ? Buffer.from(data.subarray(at)) : EMPTY;
        return;
      }
      const body = data.subarray(at + this.prefix.length, close).toString('latin1');
      if (!(body in this.times)) this.times[body] = this.now();
      from = close + MARKER_END.length;
    }
    this.tail = this.partialPrefixAtEnd(data, from);
  }

  /** The end of `data` when it is the beginning of the prefix (`@`, `@@D`, …), else nothing. */
  private partialPrefixAtEnd(data: Buffer, from: number): Buffer {
    for (let at = data.indexOf(AT, Math.max(from, data.length - this.prefix.length + 1)); at >= 0; at = data.indexOf(AT, at + 1)) {
      if (this.prefix.subarray(0, data.length - at).equals(data.subarray(at))) return Buffer.from(data.subarray(at));
    }
    return EMPTY;
  }
}
