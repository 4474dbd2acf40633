// Element building for the whole view. Everything a host or the API says goes into the page as
// text nodes or attribute values, never as HTML: host output is hostile.

/** h('a', {href: '#/', class: 'x', onclick: fn}, 'text', child, [more]) */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'checked' || key === 'value' || key === 'selected' || key === 'disabled') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  appendTo(el, children);
  return el;
}

function appendTo(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** A class-name-safe token from data (severities, statuses, categories). */
export function token(value) {
  return String(value ?? '').toLowerCase().replace(/[^a-z0-9-]/g, '') || 'unknown';
}

/** A coloured label: badge('sev', 'critical'), badge('status', 'ok', title), badge('sev', worst, title, '3'). */
export function badge(kind, value, title, text = value ?? 'unknown') {
  return h('span', { class: `badge ${kind}-${token(value)}`, title }, String(text));
}

export function section(title, ...children) {
  return h('section', { class: 'panel' }, h('h2', null, title), ...children);
}

export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

export function table(headers, rows, props) {
  return h('table', props, h('thead', null, h('tr', null, headers.map((title) => h('th', null, title)))), h('tbody', null, rows));
}

/** `<select>` of options [{value, text}] or strings; calls onChange with the new value. */
export function select(label, options, current, onChange, props) {
  const el = h(
    'select',
    { ...props, onchange: (event) => onChange(event.target.value) },
    options.map((option) => {
      const { value, text } = typeof option === 'string' ? { value: option, text: option } : option;
      return h('option', { value, selected: value === current }, text);
    }),
  );
  return h('label', { class: 'field' }, h('span', null, label), el);
}
