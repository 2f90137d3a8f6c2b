// Input bounds shared by the configuration (defaults) and the codec (its own default when no
// configuration is passed, e.g. in tests and bench scripts).

/** Largest accepted decoded image, in pixels, unless ADFORGE_MAX_PIXELS says otherwise. */
export const DEFAULT_MAX_PIXELS = 40_000_000;
