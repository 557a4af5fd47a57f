// The page's frame: every screen module registers how it draws itself (renderAll redraws them all, e.g. after the
// language changes or the session ends), and each change of screen is timed with the Performance API so that the
// figures in docs/benchmarks.md can be read from the browser (performance.getEntriesByType('measure'), names
// "desk:<screen>"). A later screen (the supervisor's board, a picker, print buttons) is a new module that calls
// addRenderer and wraps its switches in screen().

const renderers = [];

/** Adds a screen's drawing function; renderAll calls them in the order they were added. */
export function addRenderer(render) {
  renderers.push(render);
}

export function renderAll() {
  for (const render of renderers) {
    render();
  }
}

let switches = 0;

/**
 * Runs a change of screen (its API calls and drawing) and measures it, up to the frame after it was drawn:
 * the measure "desk:<name>" is what the collector waits for. The caller does not wait for that frame.
 */
export async function screen(name, work) {
  switches += 1;
  const start = `desk:${name}:start:${switches}`;
  performance.mark(start);
  try {
    return await work();
  } finally {
    afterPaint(() => {
      performance.measure('desk:' + name, start);
      performance.clearMarks(start);
    });
  }
}

/** The first load: from the navigation's start until the first screen (the desk, or signing in) is drawn. */
export function loaded(name) {
  afterPaint(() => performance.measure('desk:load:' + name, { start: 0 }));
}

// A frame callback runs before the paint; a task queued from it runs after that paint.
function afterPaint(then) {
  requestAnimationFrame(() => setTimeout(then, 0));
}
