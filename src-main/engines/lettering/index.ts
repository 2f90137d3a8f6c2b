// Generative lettering: SDXL(-Turbo) + ControlNet-canny with the legibility guard, and the deferred
// engine the registry hands to step 2.
export { canny, CANNY_DEFAULTS, type CannyOptions } from './canny';
export {
  createControlNetLettering,
  DEFAULT_CONTROL,
  DEFAULT_GUARD,
  type ControlNetLetteringEngine,
  type ControlNetLetteringOptions,
  type ControlSettings,
  type LegibilityGuard,
  type LetteringAttempt,
} from './controlnet-lettering';
export { createControlNetModel, SDXL_CONTROLNET_ID, type ControlNetModel, type ControlNetModelOptions, type ControlNetVariant } from './controlnet-model';
export { deferredLettering, type LetteringChoice } from './deferred-lettering';
export { legibility, type LegibilityReport } from './legibility';
