// Small DOM helpers: nothing from the server is ever inserted as HTML (el() sets text only).
import { state } from './state.js';

export const $ = (id) => document.getElementById(id);

/** The business day: the calendar date in China (UTC+8), as the server counts it. */
export function today() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

export function formatTime(iso, withDate) {
  if (!iso) {
    return '';
  }

  const options = { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false };
  if (withDate) {
    Object.assign(options, { year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  return new Intl.DateTimeFormat(state.lang === 'zh' ? 'zh-CN' : 'en-GB', options).format(new Date(iso));
}

/** Builds an element: attributes (class, text, on*, boolean properties, data-*, aria-*) and children (nodes or text). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }

    if (name === 'class') {
      node.className = value;
    } else if (name === 'text') {
      node.textContent = value;
    } else if (name.startsWith('on')) {
      node.addEventListener(name.slice(2), value);
    } else if (['hidden', 'disabled', 'checked', 'readOnly', 'selected', 'value'].includes(name)) {
      node[name] = value;
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }

  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }

  return node;
}

let flashTimer = null;

/** A short message in the corner (a polite live region: screen readers say it too). */
export function flash(message) {
  const box = $('flash');
  box.replaceChildren(el('p', { text: message }));
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => box.replaceChildren(), 5000);
}
