// POST /prompt's body as ComfyUI reads it (reference §3): the graph, an optional client-chosen
// prompt_id (0.38's strict UUID check), partial_execution_targets, number/front, client_id and
// extra_data (secrets stripped), and the refusals in ComfyUI's {error, node_errors} shape.
import type { AppError } from '../../../core/errors';
import { comfyError, type ComfyErrorBody, type GraphPlan } from './graph';
import { isJobId } from '../../../core/jobs';

/** Thrown for a prompt the server refuses; `body` is ComfyUI's `{error, node_errors}` (HTTP 400). */
export class PromptRejected extends Error {
  constructor(readonly body: ComfyErrorBody) {
    super(body.error.message);
  }
}

export interface PromptBody {
  graph: unknown;
  /** The client's own prompt_id (a canonical UUID), or null to let the server pick one. */
  promptId: string | null;
  targets: string[] | undefined;
  /** `number` as sent (the registry decides what it means) and `front`. */
  number: unknown;
  front: boolean;
  clientId: string | null;
  /** extra_data without secrets, with client_id; create_time is added once the job exists. */
  extraData: Record<string, unknown>;
}

export function readPromptBody(body: unknown): PromptBody {
  const b = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  if (!b || !('prompt' in b)) throw new PromptRejected(comfyError('no_prompt', 'No prompt provided', 'No prompt provided'));
  let promptId: string | null = null;
  if (b.prompt_id !== undefined && b.prompt_id !== null) {
    if (typeof b.prompt_id !== 'string' || !isJobId(b.prompt_id)) {
      throw new PromptRejected(
        comfyError(
          'invalid_prompt_id',
          'prompt_id must be a valid UUID',
          'prompt_id must be a UUID string in canonical lowercase hyphenated form; omit it to let the server generate one',
        ),
      );
    }
    promptId = b.prompt_id;
  }
  const clientId = typeof b.client_id === 'string' && b.client_id ? b.client_id : null;
  const extraData =
    b.extra_data !== null && typeof b.extra_data === 'object' && !Array.isArray(b.extra_data) ? { ...(b.extra_data as Record<string, unknown>) } : {};
  // Like ComfyUI 0.38: secrets never reach the queue or history.
  delete extraData.api_key_comfy_org;
  delete extraData.auth_token_comfy_org;
  if (clientId) extraData.client_id = clientId;
  return {
    graph: b.prompt,
    promptId,
    targets: Array.isArray(b.partial_execution_targets) ? b.partial_execution_targets.map(String) : undefined,
    number: b.number,
    front: b.front === true,
    clientId,
    extraData,
  };
}

export function promptIdTaken(promptId: string): PromptRejected {
  return new PromptRejected(comfyError('invalid_prompt_id', 'prompt_id already used', `prompt_id ${promptId} was already submitted`));
}

/** The service refused the translated request (e.g. an image too large): a validation failure of its first stage. */
export function serviceRejection(err: AppError, plan: GraphPlan, graph: unknown): PromptRejected {
  const node = plan.stages.load ?? plan.stages.background ?? plan.order[0];
  return new PromptRejected({
    error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: err.detail, extra_info: {} },
    node_errors: {
      [node]: {
        errors: [
          {
            type: 'custom_validation_failed',
            message: 'Custom validation failed for node',
            details: err.detail,
            extra_info: err.field ? { input_name: err.field } : {},
          },
        ],
        dependent_outputs: plan.outputs.map((o) => o.nodeId),
        class_type: String((graph as Record<string, { class_type?: string }>)[node]?.class_type ?? ''),
      },
    },
  });
}
