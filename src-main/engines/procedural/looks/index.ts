// The backdrop looks, one per file. Order matters: on a tie in the prompt, and for the seed-chosen
// fallback, the earlier look wins.
import { beach } from './beach';
import { brick } from './brick';
import { concrete } from './concrete';
import { garden } from './garden';
import { kitchen } from './kitchen';
import { linen } from './linen';
import { marble } from './marble';
import { neon } from './neon';
import { nightcity } from './nightcity';
import { office } from './office';
import { pastel } from './pastel';
import { snow } from './snow';
import { studio } from './studio';
import { sunset } from './sunset';
import { water } from './water';
import { wood } from './wood';

export const LOOKS = [studio, marble, wood, concrete, pastel, neon, sunset, beach, garden, kitchen, office, nightcity, linen, water, snow, brick] as const;
export type LookId = (typeof LOOKS)[number]['id'];
export const LOOK_IDS: readonly LookId[] = LOOKS.map((l) => l.id);
