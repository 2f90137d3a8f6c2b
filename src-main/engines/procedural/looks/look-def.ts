// What one procedural look is: the words that name it, the set's geometry and light, and a painter
// that draws wall and floor before the shared post-process in backdrop.ts. Colours are sRGB 0..1.
import type { Rgb } from '../../../imaging/colour';
import type { KeywordEntry } from '../../prompt-keywords';
import type { FloatRgb, SceneCtx } from '../backdrop-paint';

export interface LookDef<Id extends string = string> extends KeywordEntry<Id> {
  /** Wall/floor boundary as a share of the frame height. */
  horizon: number;
  /** Ground line (product base) as a share of the frame height. */
  ground: number;
  /** Side the key light comes from by default: -1 left, +1 right. */
  side: -1 | 1;
  /** Height of the key light: 0 grazing (long shadows) .. 1 overhead (short shadows). */
  elevation: number;
  /**
   * Cast shadow: opacity 0..1 and softness (blur multiplier). Hard sun (beach, sunset) casts a
   * strong, crisp shadow; a diffuse studio or overcast light a faint, soft one.
   */
  shadow: { opacity: number; softness: number };
  /** The key light is behind the set (a low sun): the cast shadow falls toward the camera. */
  backLit?: boolean;
  lightColor: Rgb;
  /** Floor reflectivity 0..1 (mirror of the wall, strongest at grazing angles). */
  reflect: number;
  /** Depth blur of the far background, gaussian sigma in px at a 1024-px-high frame. */
  wallBlur: number;
  vignette: number;
  /** Brightness difference between the lit and the unlit side of the frame. */
  sideLight: number;
  /** Brightening of the wall behind the product by the key light's spill (0 for skies, neon). */
  wallGlow: number;
  paint(ctx: SceneCtx, img: FloatRgb): void;
}
