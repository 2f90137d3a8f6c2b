// The product photo the end-to-end tests send, and the check that it made it into the final ad.
import sharp from 'sharp';

/**
 * A product shot with an unmistakable colour (saturated magenta bottle with a highlight on a light
 * grey sweep) so a test can tell whether the product made it into the final ad.
 */
export async function productPng(width = 480, height = 640): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#a0106a"/><stop offset="0.45" stop-color="#e0309a"/><stop offset="1" stop-color="#8a0a5a"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="#ececec"/>
    <rect x="${width * 0.42}" y="${height * 0.1}" width="${width * 0.16}" height="${height * 0.16}" rx="8" fill="#202020"/>
    <rect x="${width * 0.3}" y="${height * 0.24}" width="${width * 0.4}" height="${height * 0.66}" rx="${width * 0.08}" fill="url(#g)"/>
    <rect x="${width * 0.36}" y="${height * 0.45}" width="${width * 0.28}" height="${height * 0.2}" fill="#ffffff"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Share of pixels whose colour is close to the product's magenta (hue ~320-335 deg, saturated). */
export async function productColourShare(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let hits = 0;
  for (let i = 0; i < data.length; i += 3) {
    const r = data[i],
      g = data[i + 1],
      b = data[i + 2];
    if (r > 110 && r > g * 2.2 && b > g * 1.4 && r > b * 1.05) hits++;
  }
  return hits / (info.width * info.height);
}
