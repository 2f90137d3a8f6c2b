// The step-3 stage: the step-1 scene with the text layer on top, drawn as Apply will composite it
// (with Behind, the product in front of the headline). Drag, resize and rotate the headline (Konva
// Transformer) with snapping to the centre, thirds and edges, held inside the picture; arrow keys
// move it. All positions leave this component as a box in OUTPUT pixels, which is what Apply renders.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Image as KImage, Layer, Line, Rect, Shape, Stage, Transformer } from 'react-konva';
import type Konva from 'konva';
import type { ProductBox, TextBox } from '../../../src-main/core/params';
import { boxFromCentre, guideStops, snapRect } from './snap';
import { useHtmlImage, useMaskedImage, useMirrored, useVacatedPatch } from './useHtmlImage';

export interface ComposeStageProps {
  backgroundUrl: string;
  layerUrl: string;
  /** A layer drawn in the page (text effects) instead of layerUrl's. */
  layerImage?: HTMLCanvasElement | null;
  /** Margin of layerImage around the plain layer, layer px (outline and shadow reach past the box). */
  layerPad?: number;
  /** Behind: the scene and the product mask, to draw the product over the headline. */
  occluder?: { sceneUrl: string; maskUrl: string } | null;
  /** The scene's product mask when the product was moved on the stage: its old place is marked, not shown twice. */
  vacatedMaskUrl?: string | null;
  canvas: { width: number; height: number };
  box: TextBox;
  onChange: (box: TextBox) => void;
  /** Keyboard moves (one undo step for a run of them); defaults to onChange. */
  onNudge?: (box: TextBox) => void;
  label: string;
  help: string;
  /** The product's cut-out and where it stands (output pixels): draggable, resizable, flippable. */
  product?: { cutoutUrl: string; box: ProductBox; height: number } | null;
  onProduct?: (box: ProductBox) => void;
  /** The second text layer drawn in the page and its top-left corner (output pixels); draggable. */
  sub?: { image: HTMLCanvasElement; x: number; y: number } | null;
  /** A moved second line: its new centre in output pixels (coalesce: one undo step for a run of key moves). */
  onSub?: (centre: { x: number; y: number }, coalesce?: string) => void;
  /** Help for the second line (how to select it with the keyboard), shown when there is one. */
  subHelp?: string;
}

const SNAP_PX = 6;

/** A move cursor over whatever can be dragged on the stage. */
const cursor = (value: string) => (e: Konva.KonvaEventObject<MouseEvent>) => {
  const c = e.target.getStage()?.container();
  if (c) c.style.cursor = value;
};
const MOVE_CURSOR = { onMouseEnter: cursor('move'), onMouseLeave: cursor('default') };

export function ComposeStage({
  backgroundUrl,
  layerUrl,
  layerImage,
  layerPad = 0,
  occluder,
  vacatedMaskUrl = null,
  canvas,
  box,
  onChange,
  onNudge,
  label,
  help,
  product: placed,
  onProduct,
  sub,
  onSub,
  subHelp,
}: ComposeStageProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const nodeRef = useRef<Konva.Shape>(null);
  const trRef = useRef<Konva.Transformer>(null);
  const bg = useHtmlImage(backgroundUrl);
  const layerFromUrl = useHtmlImage(layerImage ? null : layerUrl);
  const layer = layerImage ?? layerFromUrl;
  const moved = !!vacatedMaskUrl;
  // Behind: the product in front of the headline, cut from the scene, or the moved cut-out itself.
  const product = useMaskedImage(occluder && !moved ? occluder.sceneUrl : null, occluder && !moved ? occluder.maskUrl : null);
  const vacated = useVacatedPatch(vacatedMaskUrl);
  const cutoutRaw = useHtmlImage(placed?.cutoutUrl ?? null);
  const cutout = useMirrored(cutoutRaw, !!placed?.box.flip);
  const productRef = useRef<Konva.Image>(null);
  const productTr = useRef<Konva.Transformer>(null);
  const [avail, setAvail] = useState({ width: 640, height: 640 });
  const [guides, setGuides] = useState<{ v: number[]; h: number[] }>({ v: [], h: [] });
  const [dragging, setDragging] = useState(false);
  const [selected, setSelected] = useState<'headline' | 'sub'>('headline');
  const subSelected = selected === 'sub' && !!sub;

  useLayoutEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const measure = () => setAvail({ width: Math.max(200, el.clientWidth), height: Math.max(200, el.clientHeight) });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const scale = Math.min(avail.width / canvas.width, avail.height / canvas.height);
  const W = Math.round(canvas.width * scale);
  const H = Math.round(canvas.height * scale);

  useEffect(() => {
    if (trRef.current && nodeRef.current) {
      trRef.current.nodes([nodeRef.current]);
      trRef.current.getLayer()?.batchDraw();
    }
  }, [layer, W, H]);
  useEffect(() => {
    if (productTr.current && productRef.current) {
      productTr.current.nodes([productRef.current]);
      productTr.current.getLayer()?.batchDraw();
    }
  }, [cutout, W, H]);

  const commitProduct = () => {
    const n = productRef.current;
    if (!n || !placed || !onProduct) return;
    const width = n.width() * n.scaleX();
    const height = n.height() * n.scaleY();
    n.scale({ x: 1, y: 1 });
    n.width(width);
    n.height(height);
    onProduct({ x: n.x() / scale, y: n.y() / scale, width: width / scale, flip: placed.box.flip });
  };

  const commit = () => {
    const n = nodeRef.current;
    if (!n) return;
    const width = n.width() * n.scaleX();
    const height = n.height() * n.scaleY();
    n.scale({ x: 1, y: 1 });
    n.width(width);
    n.height(height);
    n.offset({ x: width / 2, y: height / 2 });
    onChange(boxFromCentre({ x: n.x(), y: n.y(), width, height, rotation: n.rotation() }, scale));
  };

  const onDragMove = () => {
    const n = nodeRef.current;
    const stage = n?.getStage();
    if (!n || !stage) return;
    const r = n.getClientRect({ relativeTo: stage });
    const s = snapRect(r, { width: W, height: H }, SNAP_PX);
    if (s.dx || s.dy) n.position({ x: n.x() + s.dx, y: n.y() + s.dy });
    setGuides({ v: s.vertical, h: s.horizontal });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const step = (e.shiftKey ? 0.05 : 0.01) * canvas.width;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    let next: TextBox | null = null;
    const mv = moves[e.key];
    // Enter switches which text the keys move: the headline or the second line.
    if (e.key === 'Enter' && sub) {
      e.preventDefault();
      setSelected(subSelected ? 'headline' : 'sub');
      return;
    }
    if (e.key === 'Escape' && subSelected) {
      setSelected('headline');
      return;
    }
    if (subSelected && sub) {
      if (!mv) return;
      e.preventDefault();
      onSub?.({ x: sub.x + sub.image.width / 2 + mv[0], y: sub.y + sub.image.height / 2 + mv[1] }, 'sub-keys');
      return;
    }
    if (mv) next = { ...box, x: box.x + mv[0], y: box.y + mv[1] };
    else if (e.key === '+' || e.key === '=' || e.key === '-') {
      const f = e.key === '-' ? 1 / 1.05 : 1.05;
      const width = box.width * f;
      const height = box.height * f;
      next = { ...box, x: box.x + (box.width - width) / 2, y: box.y + (box.height - height) / 2, width, height };
    } else if (e.key === '[' || e.key === ']') next = { ...box, rotation: box.rotation + (e.key === '[' ? -1 : 1) * (e.shiftKey ? 15 : 1) };
    if (next) {
      e.preventDefault();
      (onNudge ?? onChange)(next);
    }
  };

  const x = (box.x + box.width / 2) * scale;
  const y = (box.y + box.height / 2) * scale;
  const w = box.width * scale;
  const h = box.height * scale;
  const stops = { v: guideStops(W), h: guideStops(H) };

  return (
    <div className="stage-wrap" ref={wrap}>
      <div
        className="stage-box"
        tabIndex={0}
        role="application"
        aria-label={label}
        aria-describedby="stage-help"
        onKeyDown={onKeyDown}
        data-testid="compose-stage"
        data-scale={scale}
        data-selected={subSelected ? 'sub' : 'headline'}
        style={{ width: W, height: H }}
      >
        <Stage width={W} height={H}>
          <Layer listening={false}>
            {bg && <KImage image={bg} width={W} height={H} />}
            {vacated && <KImage image={vacated} width={W} height={H} name="vacated" />}
            {dragging &&
              [...stops.v.slice(1, -1).map((gx) => [gx, 0, gx, H]), ...stops.h.slice(1, -1).map((gy) => [0, gy, W, gy])].map((pts, i) => (
                <Line key={`third-${i}`} points={pts} stroke="rgba(255,255,255,0.25)" strokeWidth={1} dash={[2, 4]} />
              ))}
          </Layer>
          <Layer>
            {placed && cutout && (
              <KImage
                ref={productRef}
                image={cutout}
                name="product"
                x={placed.box.x * scale}
                y={placed.box.y * scale}
                width={placed.box.width * scale}
                height={placed.height * scale}
                draggable
                onDragEnd={commitProduct}
                onTransformEnd={commitProduct}
                {...MOVE_CURSOR}
              />
            )}
            {placed && cutout && (
              <Transformer
                ref={productTr}
                keepRatio
                rotateEnabled={false}
                enabledAnchors={['top-left', 'top-right', 'bottom-left', 'bottom-right']}
                anchorSize={9}
                borderStroke="#ffb347"
                anchorStroke="#ffb347"
                anchorFill="#ffffff"
                boundBoxFunc={(oldBox, newBox) => (newBox.width < 8 || newBox.height < 8 ? oldBox : newBox)}
              />
            )}
            {layer && (
              <Shape
                ref={nodeRef}
                // The node is the text's box (what Apply places); effects drawn past it by their margin.
                sceneFunc={(ctx, shape) => {
                  const iw = layer instanceof HTMLImageElement ? layer.naturalWidth : layer.width;
                  const ih = layer instanceof HTMLImageElement ? layer.naturalHeight : layer.height;
                  const mx = (layerPad * shape.width()) / Math.max(1, iw - 2 * layerPad);
                  const my = (layerPad * shape.height()) / Math.max(1, ih - 2 * layerPad);
                  ctx.drawImage(layer, -mx, -my, shape.width() + 2 * mx, shape.height() + 2 * my);
                }}
                hitFunc={(ctx, shape) => {
                  ctx.beginPath();
                  ctx.rect(0, 0, shape.width(), shape.height());
                  ctx.closePath();
                  ctx.fillStrokeShape(shape);
                }}
                x={x}
                y={y}
                width={w}
                height={h}
                offsetX={w / 2}
                offsetY={h / 2}
                rotation={box.rotation}
                draggable
                dragBoundFunc={(pos) => {
                  // The headline's bounding box stays inside the picture while it is dragged.
                  const n = nodeRef.current;
                  if (!n) return pos;
                  const a = (n.rotation() * Math.PI) / 180;
                  const nw = n.width() * n.scaleX();
                  const nh = n.height() * n.scaleY();
                  const hw = Math.min(W / 2, (nw * Math.abs(Math.cos(a)) + nh * Math.abs(Math.sin(a))) / 2);
                  const hh = Math.min(H / 2, (nw * Math.abs(Math.sin(a)) + nh * Math.abs(Math.cos(a))) / 2);
                  const origin = n.getStage()?.getAbsolutePosition() ?? { x: 0, y: 0 };
                  return {
                    x: Math.min(Math.max(pos.x - origin.x, hw), W - hw) + origin.x,
                    y: Math.min(Math.max(pos.y - origin.y, hh), H - hh) + origin.y,
                  };
                }}
                onMouseDown={() => setSelected('headline')}
                onDragStart={() => setDragging(true)}
                onDragMove={onDragMove}
                onDragEnd={() => {
                  setDragging(false);
                  setGuides({ v: [], h: [] });
                  commit();
                }}
                onTransformEnd={commit}
                {...MOVE_CURSOR}
              />
            )}
            {product && <KImage image={product} width={W} height={H} listening={false} />}
            {occluder && moved && placed && cutout && (
              <KImage
                image={cutout}
                x={placed.box.x * scale}
                y={placed.box.y * scale}
                width={placed.box.width * scale}
                height={placed.height * scale}
                listening={false}
              />
            )}
            {layer && (
              <Transformer
                ref={trRef}
                keepRatio
                enabledAnchors={['top-left', 'top-right', 'bottom-left', 'bottom-right']}
                rotationSnaps={[0, 90, 180, 270]}
                rotationSnapTolerance={4}
                anchorSize={9}
                anchorCornerRadius={2}
                borderStroke="#7c9bff"
                anchorStroke="#7c9bff"
                anchorFill="#ffffff"
                boundBoxFunc={(oldBox, newBox) => (newBox.width < 12 || newBox.height < 8 ? oldBox : newBox)}
              />
            )}
            {sub && (
              <KImage
                image={sub.image}
                name="sub-text"
                x={sub.x * scale}
                y={sub.y * scale}
                width={sub.image.width * scale}
                height={sub.image.height * scale}
                draggable
                dragBoundFunc={(pos) => {
                  // Held inside the picture, like the headline (the stage sits at the origin).
                  const sw = sub.image.width * scale;
                  const sh = sub.image.height * scale;
                  return { x: Math.min(Math.max(pos.x, 0), Math.max(0, W - sw)), y: Math.min(Math.max(pos.y, 0), Math.max(0, H - sh)) };
                }}
                onMouseDown={() => setSelected('sub')}
                onDragEnd={(e) => {
                  const n = e.target;
                  onSub?.({ x: (n.x() + (sub.image.width * scale) / 2) / scale, y: (n.y() + (sub.image.height * scale) / 2) / scale });
                }}
                {...MOVE_CURSOR}
              />
            )}
            {sub && subSelected && (
              <Rect
                x={sub.x * scale - 2}
                y={sub.y * scale - 2}
                width={sub.image.width * scale + 4}
                height={sub.image.height * scale + 4}
                stroke="#7c9bff"
                dash={[4, 3]}
                listening={false}
                name="sub-selected"
              />
            )}
            {guides.v.map((gx) => (
              <Line key={`v${gx}`} points={[gx, 0, gx, H]} stroke="#ff4fa3" strokeWidth={1} dash={[6, 4]} />
            ))}
            {guides.h.map((gy) => (
              <Line key={`h${gy}`} points={[0, gy, W, gy]} stroke="#ff4fa3" strokeWidth={1} dash={[6, 4]} />
            ))}
            {!layer && <Rect x={x - w / 2} y={y - h / 2} width={w} height={h} stroke="#7c9bff" dash={[4, 4]} />}
          </Layer>
        </Stage>
      </div>
      <p id="stage-help" className="help stage-help">
        {help}
        {sub && subHelp ? ` ${subHelp}` : ''}
      </p>
    </div>
  );
}
