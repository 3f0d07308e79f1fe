/**
 * A minimal protobuf writer for the subset of onnx.proto a generated test model needs.
 * Hand-written so the output is byte-for-byte deterministic and needs no dependency.
 */

type Field = Uint8Array;

function varint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v !== 0n);
  return Uint8Array.from(bytes);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function tag(fieldNumber: number, wireType: 0 | 2 | 5): Uint8Array {
  return varint((fieldNumber << 3) | wireType);
}

export const int = (fieldNumber: number, value: number | bigint): Field => concat([tag(fieldNumber, 0), varint(value)]);

export const bytes = (fieldNumber: number, value: Uint8Array): Field =>
  concat([tag(fieldNumber, 2), varint(value.length), value]);

export const string = (fieldNumber: number, value: string): Field =>
  bytes(fieldNumber, new TextEncoder().encode(value));

export const message = (fieldNumber: number, fields: readonly Field[]): Field => bytes(fieldNumber, concat(fields));

export function float32(fieldNumber: number, value: number): Field {
  const buffer = new Uint8Array(4);
  new DataView(buffer.buffer).setFloat32(0, value, true);
  return concat([tag(fieldNumber, 5), buffer]);
}

export const encode = (fields: readonly Field[]): Uint8Array => concat(fields);
