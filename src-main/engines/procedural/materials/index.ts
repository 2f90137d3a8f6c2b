// The lettering materials, one per file, in the order tests and benches list them.
import { candyMaterial } from './candy';
import { chromeMaterial } from './chrome';
import { glassMaterial } from './glass';
import { goldMaterial } from './gold';
import { marbleMaterial } from './marble';
import { neonMaterial } from './neon';
import { plasticMaterial } from './plastic';
import { roseGoldMaterial } from './rose-gold';
import { silverMaterial } from './silver';
import { stoneMaterial } from './stone';
import { woodMaterial } from './wood';

export const MATERIALS = [
  goldMaterial,
  roseGoldMaterial,
  silverMaterial,
  chromeMaterial,
  neonMaterial,
  woodMaterial,
  stoneMaterial,
  marbleMaterial,
  plasticMaterial,
  glassMaterial,
  candyMaterial,
] as const;
export type MaterialId = (typeof MATERIALS)[number]['id'];
export const MATERIAL_IDS: readonly MaterialId[] = MATERIALS.map((m) => m.id);
