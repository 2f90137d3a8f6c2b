// The ControlNet lettering manifest: it parses, names the model it runs on (base) and its control
// image, declares both export shapes' tensors, and the new fields stay optional for every other
// manifest.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { componentsOf, loadManifests, ManifestError, parseManifest } from '../models/manifest';

const shipped = path.resolve(import.meta.dirname, '../../../models');
const minimal = { id: 'x', role: 'lettering', license: 'MIT', files: [{ path: 'unet/model.onnx' }] };

describe('models/sdxl-controlnet-canny.json', () => {
  it('runs on SDXL-Turbo’s encoders, tokenizers, scheduler and VAE and takes canny edges', async () => {
    const { manifests, errors } = await loadManifests([shipped]);
    expect(errors).toEqual([]);
    const m = manifests.find((x) => x.id === 'sdxl-controlnet-canny');
    expect(m).toBeDefined();
    if (!m) return;
    expect(m.role).toBe('lettering');
    expect(m.distribution).toBe('manual');
    expect(m.base).toEqual(
      expect.objectContaining({ id: 'sdxl-turbo', components: ['text_encoder', 'text_encoder_2', 'tokenizer', 'tokenizer_2', 'scheduler', 'vae_decoder'] }),
    );
    expect(m.control).toEqual({ image: 'canny', low: 100, high: 200, scale: 0.7 });
    expect(manifests.find((x) => x.id === 'sdxl-turbo')?.roles).toContain('lettering');
    // The fused inputs and the residual inputs are both declared (optional), with their aliases.
    const unet = componentsOf(m).find((c) => c.id === 'unet');
    const names = (unet?.inputs ?? []).flatMap((t) => [t.name, ...(t.aliases ?? [])]);
    expect(names).toEqual(
      expect.arrayContaining([
        'controlnet_images',
        'images',
        'controlnet_scales',
        'down_block_additional_residuals.0',
        'down_block_additional_residuals_8',
        'down_block_8',
        'mid_block_additional_residual',
      ]),
    );
    const controlnet = componentsOf(m).find((c) => c.id === 'controlnet');
    expect(controlnet?.inputs.map((t) => t.name)).toEqual([
      'sample',
      'timestep',
      'encoder_hidden_states',
      'controlnet_cond',
      'conditioning_scale',
      'text_embeds',
      'time_ids',
    ]);
    // Only the UNet graph is required; the separate ControlNet and the data files are optional.
    expect(m.files.filter((f) => !f.optional).map((f) => f.path)).toEqual(['unet/model.onnx']);
  });
});

describe('manifest fields base and control', () => {
  it('are optional and validated', () => {
    expect(parseManifest(minimal).base).toBeUndefined();
    expect(parseManifest({ ...minimal, base: { id: 'sdxl-turbo', components: ['vae_decoder'] }, control: { image: 'mask' } }).control).toEqual({
      image: 'mask',
    });
    expect(() => parseManifest({ ...minimal, base: { id: 'x', components: ['vae_decoder'] } })).toThrow(ManifestError);
    expect(() => parseManifest({ ...minimal, base: { id: 'sdxl-turbo', components: [] } })).toThrow(/base\.components/);
    expect(() => parseManifest({ ...minimal, control: { image: 'depth' } })).toThrow(/control\.image/);
  });
});
