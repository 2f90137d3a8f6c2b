// What one lettering material is: the words that name it and how it looks (face gradient, bevel,
// lighting, side walls, effects). Colours are sRGB 0..255.
import type { Rgb } from '../../../imaging/colour';
import type { KeywordEntry, Keywords } from '../../prompt-keywords';

/** [position 0..1 from the top of a line's capitals to its baseline, colour]. */
export type Stop = [number, Rgb];

export interface MaterialSpec {
  /** Face colour down each line: metals carry a "horizon" band, the look of a reflected studio. */
  face: Stop[];
  texture: 'none' | 'wood' | 'stone' | 'marble' | 'candy' | 'tube';
  /** Bevel width as a fraction of the font size, its profile, and how steep it reads. */
  bevel: { width: number; profile: 'round' | 'chisel'; relief: number };
  ambient: number;
  specular: number;
  shininess: number;
  specColor: Rgb;
  /** Side walls: colour next to the face and at the back. */
  side: { front: Rgb; back: Rgb };
  /** Extrusion depth as a fraction of the font size. */
  depth: number;
  /** Diagonal light streaks across the face (0 = none). */
  streaks: number;
  /** How far the bevel's tilt shifts the face gradient (metals mirror the studio; 0 = matte). */
  reflect: number;
  faceAlpha: number;
  sideAlpha: number;
  glow: { color: Rgb; strength: number } | null;
  shadow: { opacity: number; color: Rgb };
  /** Dark hairline at the face contour: keeps light faces readable over light walls and scenes. */
  outline: { color: Rgb; alpha: number };
}

export interface MaterialDef<Id extends string = string> extends KeywordEntry<Id> {
  /** Loose words ("metallic", "glowing") that decide only when no material is named outright. */
  hints?: Keywords;
  /** Present when the colour is free: colour words in the prompt tint it, if `accepts` allows. */
  tint?: { accepts?: (c: Rgb) => boolean };
  /** The look; `tint` is the prompt's colour for materials with a free colour, else null. */
  spec(tint: Rgb | null): MaterialSpec;
}
