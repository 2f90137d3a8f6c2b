// The segmentation evaluation set: product-like objects composited over real photographs with a
// known alpha. Packshot framing (the product fills 60–75% of the frame height, near the centre),
// 4 products per photo. Two photos (astronaut, coffee) have a strong subject of their own; they
// are reported separately because a salient-object model is expected to keep that subject too.
import { join } from 'node:path';
import type { GrayImage, RgbaImage } from '../../src-main/imaging/types';
import { compositeOver, loadPhoto } from './composite';
import { PALETTES, PRODUCT_KINDS, PRODUCT_SIZES, renderProduct } from './products';

export const PHOTOS = ['chelsea', 'rocket', 'gravel', 'brick', 'astronaut', 'coffee'] as const;
export const COMPETING_SUBJECT = new Set<string>(['astronaut', 'coffee']);
export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'photos');

export interface EvalCase {
  name: string;
  photo: string;
  image: RgbaImage;
  alpha: GrayImage;
  product: RgbaImage;
  left: number;
  top: number;
}

export async function packshotCases(perPhoto = 4, width = 640, height = 480): Promise<EvalCase[]> {
  const cases: EvalCase[] = [];
  let k = 0;
  for (const [pi, photoName] of PHOTOS.entries()) {
    const photo = await loadPhoto(join(FIXTURES, `${photoName}.jpg`), width, height);
    for (let j = 0; j < perPhoto; j++, k++) {
      const kind = PRODUCT_KINDS[(pi + j) % PRODUCT_KINDS.length];
      const [w, h] = PRODUCT_SIZES[kind];
      const scale = (height * (0.6 + 0.05 * ((k * 7) % 4))) / h;
      const product = renderProduct(kind, PALETTES[(pi + j) % PALETTES.length], Math.round(w * scale), Math.round(h * scale));
      const left = Math.round((width - product.width) / 2 + (j % 2 === 0 ? -1 : 1) * ((k * 37) % 90) * (width / 640));
      const top = Math.round((height - product.height) / 2 + (((k * 13) % 50) - 10) * (height / 480));
      const { image, alpha } = compositeOver(photo, product, left, top);
      cases.push({ name: `${photoName}-${kind}`, photo: photoName, image, alpha, product, left, top });
    }
  }
  return cases;
}

/** Large frames (1800×1350): the model's 1024² matte must be upsampled, so refinement matters. */
export async function highResCases(): Promise<EvalCase[]> {
  const W = 1800;
  const H = 1350;
  const cases: EvalCase[] = [];
  for (const [pi, photoName] of ['chelsea', 'rocket', 'gravel', 'brick'].entries()) {
    const photo = await loadPhoto(join(FIXTURES, `${photoName}.jpg`), W, H);
    const kind = PRODUCT_KINDS[pi];
    const [w, h] = PRODUCT_SIZES[kind];
    const scale = (H * 0.65) / h;
    const product = renderProduct(kind, PALETTES[pi], Math.round(w * scale), Math.round(h * scale));
    const left = Math.round((W - product.width) / 2);
    const top = Math.round((H - product.height) / 2);
    const { image, alpha } = compositeOver(photo, product, left, top);
    cases.push({ name: `${photoName}-${kind}-hr`, photo: photoName, image, alpha, product, left, top });
  }
  return cases;
}
