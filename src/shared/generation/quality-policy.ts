/**
 * Which answer quality a device gets when the caller does not choose. The numbers come from
 * `npm run bench` (per-token cost of 3 beams against greedy, same run); see README "Beams and scores".
 */
import type { Device } from '../device/policy';
import type { AnswerQuality } from './config';

export function defaultQuality(_device: Device): AnswerQuality {
  return 'best';
}
