// A chart that follows its container's width, for components that build the DOM themselves (the
// explorer) rather than in a page cell. Pages use Framework's resize((width) => …); this does the same
// (a ResizeObserver, redraw when the width changes) but draws the first time synchronously once the
// container is in the document, so that a component can say "drawn" only after its charts exist.

/**
 * `render(width)` → element. Returns the container and:
 * - `draw()`: draws at the container's current width (call after inserting it into the document);
 * - `disconnect()`: stops following the width (call when the container is thrown away).
 * Later width changes (window resized, phone rotated, sidebar toggled) redraw it.
 */
export function responsive(render) {
  const element = document.createElement("div");
  element.className = "responsive";
  let drawn = 0;
  const drawAt = (width) => {
    // A container outside the document or hidden measures 0: nothing sensible to draw.
    if (width <= 0 || width === drawn) return;
    drawn = width;
    element.replaceChildren(render(width));
  };
  const observer = new ResizeObserver(([entry]) => drawAt(Math.floor(entry.contentRect.width)));
  return {
    element,
    draw() {
      drawAt(Math.floor(element.getBoundingClientRect().width));
      observer.observe(element);
    },
    disconnect: () => observer.disconnect(),
  };
}
