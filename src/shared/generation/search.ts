/**
 * Florence-2's decoding rules, greedy and beam search, as the reference (Hugging Face `generate`)
 * applies them: log-softmax scores, the logits processors of the generation config (no repeated
 * n-gram, forced first and last tokens), the best 2 x beams candidates a step, finished hypotheses
 * scored by sum / length^length_penalty, early stopping, and the best hypothesis at the end.
 *
 * It knows nothing of the model runtime: a step function runs the decoder for a batch of rows, one
 * row a beam, and returns each row's next-token logits. It is told which earlier row each row
 * continues, so it can reorder its key/value cache.
 */

export interface SearchConfig {
  /** 1 decodes greedily. */
  readonly numBeams: number;
  readonly maxNewTokens: number;
  /** 0 turns the rule off. */
  readonly noRepeatNgramSize: number;
  /** true: stop once `numBeams` hypotheses are finished; false: once no running beam can beat them. */
  readonly earlyStopping: boolean;
  readonly lengthPenalty: number;
  readonly decoderStartTokenId: number;
  readonly eosTokenId: number;
  /** Forced as the first generated token, when set. */
  readonly forcedBosTokenId: number | null;
  /** Forced as the last token the length allows, when set. */
  readonly forcedEosTokenId: number | null;
}

export interface StepRequest {
  /** Each row's newest token: the decoder's input this step. */
  readonly tokens: readonly number[];
  /**
   * For each row, the row of the previous call whose cache it continues; null on the first call
   * (a row per beam, each the decoder start token, no cache).
   */
  readonly sources: readonly number[] | null;
}

/** Runs the decoder once; returns each row's logits over the vocabulary. */
export type DecoderStep = (request: StepRequest) => Promise<readonly ArrayLike<number>[]>;

export interface GeneratedSequence {
  /** The generated tokens, the decoder start token excluded, the end token included when reached. */
  readonly tokens: readonly number[];
  /** The probability the model gave each token: the softmax of its logits at that step. */
  readonly probabilities: readonly number[];
  /** True where the generation config forced the token rather than the model choosing it. */
  readonly forced: readonly boolean[];
}

export interface SearchOptions {
  readonly signal?: AbortSignal;
  /** Called after each step with the best running sequence so far. */
  readonly onStep?: (best: GeneratedSequence) => void;
}

/** Thrown when the signal aborts; the step in flight finishes first. */
export class SearchCancelled extends Error {
  constructor() {
    super('The generation was cancelled.');
    this.name = 'SearchCancelled';
  }
}

/** Hugging Face starts every beam but the first at this score, so the first step expands one beam. */
const UNUSED_BEAM_SCORE = -1e9;

interface Beam {
  /** The decoder start token followed by the generated tokens. */
  readonly sequence: number[];
  readonly probabilities: number[];
  readonly forced: boolean[];
  /** Sum of the processed log-probabilities of the generated tokens. */
  readonly score: number;
}

interface Hypothesis {
  readonly beam: GeneratedSequence;
  readonly score: number;
}

/** ln Σ exp(logits): subtracted from a logit, it gives the token's log-probability. */
function logNormaliser(logits: ArrayLike<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] ?? Number.NEGATIVE_INFINITY);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i] ?? Number.NEGATIVE_INFINITY) - max);
  return max + Math.log(sum);
}

/** Tokens that would complete an n-gram the sequence already holds (Hugging Face's rule). */
export function bannedByNgram(sequence: readonly number[], size: number): Set<number> {
  const banned = new Set<number>();
  if (size <= 0 || sequence.length + 1 < size) return banned;
  const prefixLength = size - 1;
  const tail = sequence.slice(sequence.length - prefixLength);
  for (let start = 0; start + size <= sequence.length; start++) {
    let matches = true;
    for (let i = 0; i < prefixLength && matches; i++) matches = sequence[start + i] === tail[i];
    if (matches) banned.add(sequence[start + prefixLength] ?? -1);
  }
  return banned;
}

/**
 * The token the generation config forces at this length (which counts the decoder start token):
 * every other token's score is then -infinity and the forced one's 0.
 */
function forcedTokenAt(length: number, config: SearchConfig, maxLength: number): number | null {
  // The end token's processor runs last in Hugging Face's list, so it wins when both apply.
  if (length === maxLength - 1 && config.forcedEosTokenId !== null) return config.forcedEosTokenId;
  if (length === 1 && config.forcedBosTokenId !== null) return config.forcedBosTokenId;
  return null;
}

const generated = (beam: Beam): GeneratedSequence => ({
  tokens: beam.sequence.slice(1),
  probabilities: beam.probabilities,
  forced: beam.forced,
});

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SearchCancelled();
}

async function greedy(config: SearchConfig, step: DecoderStep, options: SearchOptions): Promise<GeneratedSequence> {
  const maxLength = config.maxNewTokens + 1;
  const beam: Beam = { sequence: [config.decoderStartTokenId], probabilities: [], forced: [], score: 0 };
  let sources: number[] | null = null;
  while (beam.sequence.length < maxLength) {
    throwIfCancelled(options.signal);
    const [logits] = await step({ tokens: [beam.sequence.at(-1) ?? config.decoderStartTokenId], sources });
    throwIfCancelled(options.signal);
    if (!logits) throw new Error('The decoder returned no logits.');
    const shift = logNormaliser(logits);
    const forcedToken = forcedTokenAt(beam.sequence.length, config, maxLength);
    const banned = bannedByNgram(beam.sequence, config.noRepeatNgramSize);
    let best = forcedToken ?? -1;
    if (forcedToken === null) {
      let bestLogit = Number.NEGATIVE_INFINITY;
      for (let token = 0; token < logits.length; token++) {
        const logit = logits[token] ?? Number.NEGATIVE_INFINITY;
        if (logit > bestLogit && !banned.has(token)) {
          bestLogit = logit;
          best = token;
        }
      }
    }
    if (best < 0) throw new Error('Every token is banned at this step.');
    beam.sequence.push(best);
    beam.probabilities.push(Math.exp((logits[best] ?? Number.NEGATIVE_INFINITY) - shift));
    beam.forced.push(forcedToken === best);
    sources = [0];
    options.onStep?.(generated(beam));
    if (best === config.eosTokenId) break;
  }
  return generated(beam);
}

/** The finished hypotheses of a beam search, keeping the `numBeams` best. */
class Hypotheses {
  readonly kept: Hypothesis[] = [];
  private worstScore = 1e9;

  constructor(private readonly config: SearchConfig) {}

  get size(): number {
    return this.kept.length;
  }

  /** `generatedLength` counts the generated tokens, the end token included. */
  add(beam: GeneratedSequence, sumLogProbs: number, generatedLength: number): void {
    const score = sumLogProbs / generatedLength ** this.config.lengthPenalty;
    if (this.kept.length < this.config.numBeams || score > this.worstScore) {
      this.kept.push({ beam, score });
      if (this.kept.length > this.config.numBeams) {
        const ranked = this.kept.map((hypothesis, index) => ({ score: hypothesis.score, index }));
        ranked.sort((a, b) => a.score - b.score);
        this.kept.splice(ranked[0]?.index ?? 0, 1);
        this.worstScore = ranked[1]?.score ?? score;
      } else {
        this.worstScore = Math.min(score, this.worstScore);
      }
    }
  }

  isDone(bestRunningSum: number, generatedLength: number): boolean {
    if (this.kept.length < this.config.numBeams) return false;
    if (this.config.earlyStopping) return true;
    return this.worstScore >= bestRunningSum / generatedLength ** this.config.lengthPenalty;
  }

  best(): GeneratedSequence | null {
    let best: Hypothesis | null = null;
    // Later additions win ties, as a stable ascending sort's last element does.
    for (const hypothesis of this.kept) if (!best || hypothesis.score >= best.score) best = hypothesis;
    return best?.beam ?? null;
  }
}

interface Candidate {
  readonly score: number;
  readonly beam: number;
  readonly token: number;
  readonly probability: number;
  readonly forced: boolean;
}

/** Keeps the `count` best candidates, higher score first, then the lower beam and token (flat index). */
function insertCandidate(best: Candidate[], candidate: Candidate, count: number): void {
  if (best.length === count && candidate.score <= (best[count - 1]?.score ?? Number.NEGATIVE_INFINITY)) return;
  let at = best.length;
  while (at > 0 && (best[at - 1]?.score ?? 0) < candidate.score) at--;
  best.splice(at, 0, candidate);
  if (best.length > count) best.pop();
}

async function beamSearch(config: SearchConfig, step: DecoderStep, options: SearchOptions): Promise<GeneratedSequence> {
  const { numBeams } = config;
  const maxLength = config.maxNewTokens + 1;
  const candidatesPerStep = 2 * numBeams;
  let beams: Beam[] = Array.from({ length: numBeams }, (_, index) => ({
    sequence: [config.decoderStartTokenId],
    probabilities: [],
    forced: [],
    score: index === 0 ? 0 : UNUSED_BEAM_SCORE,
  }));
  // Which row of the last decoder call holds each beam's cache; null before the first call.
  let rowOfBeam: number[] | null = null;
  const hypotheses = new Hypotheses(config);
  let done = false;

  while (!done) {
    throwIfCancelled(options.signal);
    // The first call has a row per beam too, all the start token: the decoder may run it once.
    const tokens = beams.map((beam) => beam.sequence.at(-1) ?? config.decoderStartTokenId);
    const rows = await step({ tokens, sources: rowOfBeam });
    throwIfCancelled(options.signal);

    const best: Candidate[] = [];
    for (const [beamIndex, beam] of beams.entries()) {
      const logits = rows[rowOfBeam ? beamIndex : 0];
      if (!logits) throw new Error('The decoder returned fewer rows than beams.');
      const shift = logNormaliser(logits);
      const forcedToken = forcedTokenAt(beam.sequence.length, config, maxLength);
      const banned = bannedByNgram(beam.sequence, config.noRepeatNgramSize);
      const consider = (token: number, processed: number) => {
        const score = processed + beam.score;
        if (best.length === candidatesPerStep && score <= (best[candidatesPerStep - 1]?.score ?? 0)) return;
        // A forced token overrides the n-gram rule, as the forcing processors run after it.
        if (token !== forcedToken && banned.has(token)) return;
        const probability = Math.exp((logits[token] ?? Number.NEGATIVE_INFINITY) - shift);
        insertCandidate(
          best,
          { score, beam: beamIndex, token, probability, forced: token === forcedToken },
          candidatesPerStep,
        );
      };
      // A forced token is the only one with a finite score; the others cannot be among the best.
      if (forcedToken !== null) consider(forcedToken, 0);
      else for (let token = 0; token < logits.length; token++) consider(token, (logits[token] ?? 0) - shift);
    }

    // Tokens generated once this step's token is added (the decoder start token is not one).
    const generatedLength = beams[0]?.sequence.length ?? 1;
    const next: Beam[] = [];
    const sources: number[] = [];
    for (const [rank, candidate] of best.entries()) {
      const parent = beams[candidate.beam];
      if (!parent) continue;
      if (candidate.token === config.eosTokenId) {
        // An end token outside the best `numBeams` candidates does not finish a hypothesis.
        if (rank >= numBeams) continue;
        hypotheses.add(
          {
            tokens: [...parent.sequence.slice(1), candidate.token],
            probabilities: [...parent.probabilities, candidate.probability],
            forced: [...parent.forced, candidate.forced],
          },
          candidate.score,
          generatedLength,
        );
      } else {
        next.push({
          sequence: [...parent.sequence, candidate.token],
          probabilities: [...parent.probabilities, candidate.probability],
          forced: [...parent.forced, candidate.forced],
          score: candidate.score,
        });
        sources.push(rowOfBeam ? candidate.beam : 0);
      }
      if (next.length === numBeams) break;
    }
    done = hypotheses.isDone(best[0]?.score ?? Number.NEGATIVE_INFINITY, generatedLength);
    const leader = next[0];
    const shown = leader ? generated(leader) : hypotheses.best();
    if (shown) options.onStep?.(shown);
    beams = next;
    // Fewer running beams than asked only when every finite candidate ended (a forced end token):
    // the search is over, with what finished.
    if (!leader || next.length < numBeams) break;
    rowOfBeam = sources;
    if (leader.sequence.length >= maxLength) break;
  }

  if (!done) {
    // Out of length: the running beams join the finished ones.
    for (const beam of beams) hypotheses.add(generated(beam), beam.score, beam.sequence.length - 1);
  }
  const chosen = hypotheses.best();
  if (!chosen) throw new Error('Beam search finished with no hypothesis.');
  return chosen;
}

/** Generates one answer with the config's rules. */
export function searchTokens(
  config: SearchConfig,
  step: DecoderStep,
  options: SearchOptions = {},
): Promise<GeneratedSequence> {
  if (!Number.isInteger(config.numBeams) || config.numBeams < 1)
    throw new Error('numBeams must be a whole number ≥ 1.');
  return config.numBeams === 1 ? greedy(config, step, options) : beamSearch(config, step, options);
}
