// Turns a translated graph into the validated GenerateRequest: the uploaded files the graph names
// are read from the input folder (names were checked against its listing) and sent as base64.
import { readFile } from 'node:fs/promises';
import type { GenerateRequest } from '../../../core/params';
import { parseGenerateRequest } from '../../../service/submit';
import { inside } from './files';
import type { GraphPlan } from './graph';

export async function requestFromPlan(plan: GraphPlan, inputDir: string): Promise<GenerateRequest> {
  const raw: Record<string, unknown> = { ...plan.request };
  const read = async (name: string) => {
    const path = inside(inputDir, name);
    if (!path) throw new Error(`input file ${name} is outside the input folder`);
    return (await readFile(path)).toString('base64');
  };
  if (plan.productImage) raw.product_image = await read(plan.productImage);
  if (plan.sceneImage) raw.step1_image = await read(plan.sceneImage);
  return parseGenerateRequest(raw);
}
