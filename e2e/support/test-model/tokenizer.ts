/**
 * A Florence-2-shaped BART tokenizer: byte-level BPE whose base vocabulary holds only what the test
 * scripts use, with Florence-2's 1024 added tokens at their real ids (50265..51288), so location and
 * task-markup tokens decode exactly as with the real model.
 */

export const BASE_VOCAB_SIZE = 50265; // BART's vocabulary; Florence-2 appends its tokens after it
export const VOCAB_SIZE = 51289;
export const SPECIAL_TOKENS = { bos: 0, pad: 1, eos: 2, unk: 3, mask: 50264 } as const;

const FLORENCE_MARKUP_TOKENS = [
  '<cap>',
  '</cap>',
  '<ncap>',
  '</ncap>',
  '<dcap>',
  '</dcap>',
  '<grounding>',
  '</grounding>',
  '<seg>',
  '</seg>',
  '<sep>',
  '<region_cap>',
  '</region_cap>',
  // The misspelling is the checkpoint's own token.
  '<region_to_desciption>',
  '</region_to_desciption>',
  '<proposal>',
  '</proposal>',
  '<poly>',
  '</poly>',
  '<and>',
];

/** Florence-2's added tokens in id order, starting at BASE_VOCAB_SIZE. */
export function florenceAddedTokens(): string[] {
  const locations = Array.from({ length: 1000 }, (_, bin) => `<loc_${bin}>`);
  return ['<od>', '</od>', '<ocr>', '</ocr>', ...locations, ...FLORENCE_MARKUP_TOKENS];
}

/** GPT-2's reversible byte -> printable character table used by byte-level BPE. */
function byteToUnicode(): string[] {
  const printable = new Set<number>();
  for (let b = 33; b <= 126; b++) printable.add(b);
  for (let b = 161; b <= 172; b++) printable.add(b);
  for (let b = 174; b <= 255; b++) printable.add(b);
  let next = 256;
  return Array.from({ length: 256 }, (_, byte) => String.fromCodePoint(printable.has(byte) ? byte : next++));
}

// GPT-2 style pre-tokenisation: optional leading space, then a run of letters, digits or other symbols.
const WORD_PATTERN = / ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+/gu;

/**
 * Builds tokenizer.json with one merge chain per word in `texts`, so those words become single tokens
 * (short scripted answers, and no accidental 3-gram repeats from single characters).
 */
export function buildTokenizerJson(texts: readonly string[]): object {
  const byteChars = byteToUnicode();
  const encodeBytes = (text: string) =>
    Array.from(new TextEncoder().encode(text), (byte) => byteChars[byte] ?? '').join('');

  const vocab = new Map<string, number>([
    ['<s>', SPECIAL_TOKENS.bos],
    ['<pad>', SPECIAL_TOKENS.pad],
    ['</s>', SPECIAL_TOKENS.eos],
    ['<unk>', SPECIAL_TOKENS.unk],
  ]);
  for (const char of byteChars) vocab.set(char, vocab.size);

  const words = new Set<string>();
  for (const text of texts) {
    // Added tokens are split out before BPE, so only the text between them forms words.
    for (const segment of text.split(/<[^<>]+>/)) {
      for (const match of segment.matchAll(WORD_PATTERN)) words.add(encodeBytes(match[0]));
    }
  }
  const merges: string[] = [];
  const seenMerges = new Set<string>();
  for (const word of [...words].sort()) {
    const chars = Array.from(word);
    let prefix = chars[0] ?? '';
    for (const char of chars.slice(1)) {
      const merge = `${prefix} ${char}`;
      prefix += char;
      if (seenMerges.has(merge)) continue;
      seenMerges.add(merge);
      merges.push(merge);
      if (!vocab.has(prefix)) vocab.set(prefix, vocab.size);
    }
  }
  if (vocab.size >= SPECIAL_TOKENS.mask) throw new Error('Test vocabulary grew into the added-token range');

  const addedToken = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: content === '<mask>',
    rstrip: false,
    normalized: false,
    special: true,
  });
  const addedTokens = [
    addedToken(SPECIAL_TOKENS.bos, '<s>'),
    addedToken(SPECIAL_TOKENS.pad, '<pad>'),
    addedToken(SPECIAL_TOKENS.eos, '</s>'),
    addedToken(SPECIAL_TOKENS.unk, '<unk>'),
    addedToken(SPECIAL_TOKENS.mask, '<mask>'),
    ...florenceAddedTokens().map((content, index) => addedToken(BASE_VOCAB_SIZE + index, content)),
  ];

  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: {
      type: 'RobertaProcessing',
      sep: ['</s>', SPECIAL_TOKENS.eos],
      cls: ['<s>', SPECIAL_TOKENS.bos],
      trim_offsets: true,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries(vocab),
      merges,
    },
  };
}

export const TOKENIZER_CONFIG = {
  tokenizer_class: 'BartTokenizer',
  add_prefix_space: false,
  bos_token: '<s>',
  cls_token: '<s>',
  eos_token: '</s>',
  mask_token: '<mask>',
  pad_token: '<pad>',
  sep_token: '</s>',
  unk_token: '<unk>',
  model_max_length: 1024,
  clean_up_tokenization_spaces: false,
};
