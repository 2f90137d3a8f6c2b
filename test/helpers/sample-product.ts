// A drawn product for tests, benchmarks and the gallery: a glass bottle with a printed label
// (fine text, so label sharpness and exact preservation are visible), as a trimmed cut-out.
import { createCanvas } from '@napi-rs/canvas';
import { boundsOf, alphaOf, cropRgba } from '../../src-main/imaging/raster';
import type { Cutout } from '../../src-main/engines/contracts';
import type { RgbaImage } from '../../src-main/imaging/types';

export function drawSampleBottle(height = 760, color: [number, number, number] = [196, 32, 44]): Cutout {
  const s = height / 760;
  const W = Math.round(320 * s);
  const H = height;
  const cv = createCanvas(W, H);
  const g = cv.getContext('2d');
  g.scale(s, s);
  const [r, gg, b] = color;
  const dark = `rgb(${Math.round(r * 0.45)},${Math.round(gg * 0.45)},${Math.round(b * 0.45)})`;
  const mid = `rgb(${r},${gg},${b})`;
  const light = `rgb(${Math.min(255, r + 60)},${Math.min(255, gg + 60)},${Math.min(255, b + 60)})`;
  // Body + shoulder + neck silhouette.
  g.beginPath();
  g.moveTo(135, 120);
  g.lineTo(135, 210);
  g.bezierCurveTo(135, 260, 40, 270, 40, 340);
  g.lineTo(40, 720);
  g.quadraticCurveTo(40, 758, 80, 758);
  g.lineTo(240, 758);
  g.quadraticCurveTo(280, 758, 280, 720);
  g.lineTo(280, 340);
  g.bezierCurveTo(280, 270, 185, 260, 185, 210);
  g.lineTo(185, 120);
  g.closePath();
  const body = g.createLinearGradient(40, 0, 280, 0);
  body.addColorStop(0, dark);
  body.addColorStop(0.22, mid);
  body.addColorStop(0.32, light);
  body.addColorStop(0.45, mid);
  body.addColorStop(0.85, dark);
  body.addColorStop(1, dark);
  g.fillStyle = body;
  g.fill();
  // Specular streak.
  g.fillStyle = 'rgba(255,255,255,0.35)';
  g.fillRect(86, 360, 10, 330);
  // Cap.
  const cap = g.createLinearGradient(128, 0, 192, 0);
  cap.addColorStop(0, '#222');
  cap.addColorStop(0.35, '#777');
  cap.addColorStop(1, '#1a1a1a');
  g.fillStyle = cap;
  g.beginPath();
  g.roundRect(128, 40, 64, 90, 6);
  g.fill();
  for (let y = 48; y < 126; y += 6) {
    g.fillStyle = 'rgba(0,0,0,0.35)';
    g.fillRect(128, y, 64, 2);
  }
  // Label with fine print.
  g.fillStyle = '#f4efe4';
  g.fillRect(40, 420, 240, 190);
  g.fillStyle = '#1d1d1d';
  g.font = 'bold 44px NanumGothic, sans-serif';
  g.textAlign = 'center';
  g.fillText('AURORA', 160, 480);
  g.font = '20px NanumGothic, sans-serif';
  g.fillText('SPARKLING 오로라', 160, 515);
  g.font = '12px NanumGothic, sans-serif';
  const fine = ['Natural mineral water', '500 ml · Lot 24-0917', '천연 광천수 · 무가당', 'Best before 2027-03'];
  fine.forEach((t, k) => g.fillText(t, 160, 545 + k * 15));
  g.strokeStyle = mid;
  g.lineWidth = 3;
  g.strokeRect(48, 428, 224, 174);
  const id = g.getImageData(0, 0, W, H);
  const img: RgbaImage = { width: W, height: H, data: Buffer.from(id.data.buffer, id.data.byteOffset, id.data.byteLength) };
  const box = boundsOf(alphaOf(img), 0) ?? { x: 0, y: 0, width: W, height: H };
  return { image: cropRgba(img, box), box, engine: 'input-alpha' };
}
