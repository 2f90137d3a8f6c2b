// A lettering engine chosen when the job renders, not when it is handed out: the registry's
// `lettering()` must answer at once (step 2 asks for the layout first), while whether the ControlNet
// lettering can run (installed, within the VRAM budget, loadable) is only known asynchronously. The
// layout is the procedural one either way (the ControlNet engine lays out exactly the same), so
// nothing about the fit depends on the choice. With `auto`, an engine that fails for a reason other
// than a stop or GPU memory falls back to the procedural renderer and says why in the note.
import { StoppedError } from '../../core/errors';
import type { LetteringEngine, LetteringLayout, LetteringRequest, LetteringResult } from '../contracts';
import { DiffusionMemoryError } from '../diffusion/errors';
import { proceduralLettering } from '../procedural/lettering-engine';

export interface LetteringChoice {
  engine: LetteringEngine;
  /** Why the choice is not what was asked for (auto over budget, failed load), for the job status. */
  note: string | null;
  /** Fall back to the procedural renderer when the chosen engine fails (auto), instead of failing the job. */
  fallbackOnError: boolean;
}

const joinNotes = (...notes: (string | null | undefined)[]) => notes.filter((n): n is string => !!n).join('; ') || undefined;

export function deferredLettering(choose: () => Promise<LetteringChoice>, log?: (message: string) => void): LetteringEngine {
  // The engine that drew the last layer: step 2 reports its id and provider after render().
  let current: LetteringEngine = proceduralLettering;

  async function render(laid: LetteringLayout, req: LetteringRequest, signal?: AbortSignal): Promise<LetteringResult> {
    const choice = await choose();
    current = choice.engine;
    try {
      const r = await choice.engine.render(laid, req, signal);
      const note = joinNotes(choice.note, r.note);
      return { ...r, ...(note ? { note } : {}) };
    } catch (err) {
      if (!choice.fallbackOnError || err instanceof StoppedError || err instanceof DiffusionMemoryError || signal?.aborted) throw err;
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      log?.(`lettering: ${choice.engine.id} failed, procedural lettering used: ${why}`);
      current = proceduralLettering;
      const r = await proceduralLettering.render(laid, req, signal);
      return { ...r, note: joinNotes(choice.note, `${choice.engine.id} lettering failed (${why}): procedural ${r.material} used`) };
    }
  }

  return {
    get id() {
      return current.id;
    },
    get provider() {
      return current.provider;
    },
    layout: (req) => proceduralLettering.layout(req),
    render,
  };
}
