// Snapping for the headline on the compose stage: the box's left/centre/right (and top/middle/
// bottom) snap to the canvas centre and thirds (and edges) when within a few pixels. Pure, so the
// rule is unit-tested apart from Konva.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SnapResult {
  /** Shift to apply to the box. */
  dx: number;
  dy: number;
  /** Guide positions (stage pixels) that the box now touches: vertical lines at x, horizontal at y. */
  vertical: number[];
  horizontal: number[];
}

/** Centre, thirds and edges of a length. */
export function guideStops(length: number): number[] {
  return [0, length / 3, length / 2, (2 * length) / 3, length];
}

function snapAxis(start: number, size: number, length: number, threshold: number): { delta: number; line: number | null } {
  const edges = [start, start + size / 2, start + size];
  let best: { delta: number; line: number | null } = { delta: 0, line: null };
  let bestDist = threshold + 1e-9;
  for (const g of guideStops(length)) {
    for (const e of edges) {
      const d = g - e;
      if (Math.abs(d) < bestDist) {
        bestDist = Math.abs(d);
        best = { delta: d, line: g };
      }
    }
  }
  return best;
}

export function snapRect(rect: Rect, stage: { width: number; height: number }, threshold: number): SnapResult {
  const h = snapAxis(rect.x, rect.width, stage.width, threshold);
  const v = snapAxis(rect.y, rect.height, stage.height, threshold);
  return {
    dx: h.delta,
    dy: v.delta,
    vertical: h.line === null ? [] : [h.line],
    horizontal: v.line === null ? [] : [v.line],
  };
}

/**
 * Box in output pixels from a Konva node drawn at `scale` (stage px per output px) whose origin is
 * its centre: what step 3 receives as text_box.
 */
export function boxFromCentre(
  node: { x: number; y: number; width: number; height: number; rotation: number },
  scale: number,
): { x: number; y: number; width: number; height: number; rotation: number } {
  const width = node.width / scale;
  const height = node.height / scale;
  const cx = node.x / scale;
  const cy = node.y / scale;
  const round = (v: number) => Math.round(v * 10) / 10;
  let rotation = node.rotation % 360;
  if (rotation > 180) rotation -= 360;
  if (rotation <= -180) rotation += 360;
  return { x: round(cx - width / 2), y: round(cy - height / 2), width: round(width), height: round(height), rotation: round(rotation) };
}

/**
 * Keeps a (rotated) box inside the canvas: its bounding box is moved back in, and shrunk about its
 * centre first when it is larger than the canvas. A headline off the picture is lost on Apply.
 */
export function clampBox(
  box: { x: number; y: number; width: number; height: number; rotation: number },
  canvas: { width: number; height: number },
): { x: number; y: number; width: number; height: number; rotation: number } {
  const a = ((box.rotation ?? 0) * Math.PI) / 180;
  const c = Math.abs(Math.cos(a));
  const s = Math.abs(Math.sin(a));
  let { width, height } = box;
  const bw = width * c + height * s;
  const bh = width * s + height * c;
  const k = Math.min(1, canvas.width / bw, canvas.height / bh);
  width *= k;
  height *= k;
  const hw = (bw * k) / 2;
  const hh = (bh * k) / 2;
  const cx = Math.min(Math.max(box.x + box.width / 2, hw), canvas.width - hw);
  const cy = Math.min(Math.max(box.y + box.height / 2, hh), canvas.height - hh);
  return { x: cx - width / 2, y: cy - height / 2, width, height, rotation: box.rotation ?? 0 };
}
