/**
 * florence2-web: Florence-2 on this device, for any page. See the README's "Use it from your own page".
 */

export type { TokenProbability } from '../../shared/florence/confidence';
export type { BoxRegion, FlorenceAnswer, PolygonRegion, QuadRegion, Region } from '../../shared/florence/parse';
export { type AnswerType, TASK_TOKENS, TASKS, type TaskSpec, type TaskToken } from '../../shared/florence/tasks';
export { ANSWER_QUALITIES, type AnswerQuality } from '../../shared/generation/config';
export type { FalBox, FalInput, FalOutput, FalPolygon, FalQuadBox } from '../../shared/hosted-apis/fal';
export { FAL_ENDPOINTS, falEndpointOf, toFalOutput } from '../../shared/hosted-apis/fal';
export { MODEL_ALIASES, type ModelAlias } from '../../shared/hosted-apis/model-ids';
export type { RoboflowErrorBody, RoboflowLmmRequest, RoboflowLmmResponse } from '../../shared/hosted-apis/roboflow';
export type { LoadProgress, RunPhase, StageTimings, TaskOutput } from '../../shared/protocol';
export type { SessionEvent, SessionModel, SessionNotice, SessionState } from '../session/model-session';
export { asFlorence2Error, Florence2Error, type Florence2ErrorCode } from './errors';
export { createFlorence2, Florence2, type Florence2Options, type Florence2Result, type RunOptions } from './florence2';
export { type FalApiError, HostedApiError, inferLmm, type RoboflowApiError, runFal } from './hosted-apis';
export type { ImageInput } from './image-input';
export { openAIFetch } from './openai-fetch';
