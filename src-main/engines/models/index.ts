// The model manager's public surface: manifests, the catalog the engine registry asks
// ("is sd-turbo installed, where are its files?"), install/import/verify/remove for the CLI and the
// Settings page, and the load-time signature check for engines.
export { componentsOf, loadManifests, parseManifest, type ComponentSpec, type Manifest, type ManifestFile, type TensorSpec } from './manifest';
export { createCatalog, ModelCatalog, modelStatus, USABLE_STATES, type InstalledModel, type ModelState, type ModelStatus } from './catalog';
export { importModel, installModel, offlineMessage, removeModel, verifyModel, type InstallOptions, type InstallProgress, type InstallResult, type VerifyResult } from './install';
export { checkSignature, type SessionLike, type SignatureMatch } from './signature';
export { isModelError, ModelError, type ModelErrorCode } from './errors';
export { DEFAULT_HUB_URL } from './hub-download';
export { MODEL_LOCK_FILE, type ModelLock } from './lock';
export { createProgressTracker, formatDuration, formatProgress, type ProgressSnapshot } from './progress';
