/**
 * Which answer quality a device gets when the caller does not choose. From `npm run bench` (README
 * "Beams against greedy"): on WASM with all threads 3 beams cost 1.67x greedy per decoder step but
 * 1.28x per answer, about a second on a task whose vision encoder takes 14 s, so the reference's
 * decoding is worth its price. WebGPU is not measured here (no GPU); batch rows cost a GPU less than
 * a CPU, so it gets the reference's decoding too.
 */
import type { Device } from '../device/policy';
import type { AnswerQuality } from './config';

export function defaultQuality(_device: Device): AnswerQuality {
  return 'best';
}
