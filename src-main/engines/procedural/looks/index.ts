// The backdrop looks, one per file. Order matters: on a tie in the prompt, and for the seed-chosen
// fallback, the earlier look wins.
import { beachLook } from './beach';
import { brickLook } from './brick';
import { concreteLook } from './concrete';
import { gardenLook } from './garden';
import { kitchenLook } from './kitchen';
import { linenLook } from './linen';
import { marbleLook } from './marble';
import { neonLook } from './neon';
import { nightcityLook } from './nightcity';
import { officeLook } from './office';
import { pastelLook } from './pastel';
import { snowLook } from './snow';
import { studioLook } from './studio';
import { sunsetLook } from './sunset';
import { waterLook } from './water';
import { woodLook } from './wood';

export const LOOKS = [
  studioLook,
  marbleLook,
  woodLook,
  concreteLook,
  pastelLook,
  neonLook,
  sunsetLook,
  beachLook,
  gardenLook,
  kitchenLook,
  officeLook,
  nightcityLook,
  linenLook,
  waterLook,
  snowLook,
  brickLook,
] as const;
export type LookId = (typeof LOOKS)[number]['id'];
export const LOOK_IDS: readonly LookId[] = LOOKS.map((l) => l.id);
