// Imported first: zod would otherwise probe `new Function` (its JIT), which the studio's strict
// CSP (no 'unsafe-eval') reports as a violation even though zod catches the error.
import { config } from 'zod';

config({ jitless: true });
