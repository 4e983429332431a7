/**
 * Reads an image's pixel size from the first bytes of its base64 data, so token counting
 * never decodes a whole multi-MB screenshot. Uses `atob` (no Node built-ins: router
 * modules also run on Cloudflare Workers).
 */

export interface ImageDimensions {
  width: number;
  height: number;
}

/** PNG, GIF and WebP keep their size in the first 30 bytes. */
const HEADER_BYTES = 32;
/** JPEG's frame header follows any APPn segments (EXIF, ICC profiles), so it may sit far in. */
const JPEG_FIRST_WINDOW = 4 * 1024;
const JPEG_MAX_WINDOW = 256 * 1024;

type Parser = (bytes: Uint8Array) => ImageDimensions | undefined;

export function imageDimensionsFromBase64(data: string, mediaType: string): ImageDimensions | undefined {
  const base64 = stripDataUrl(data);
  const head = decodePrefix(base64, HEADER_BYTES);
  if (!head) return undefined;
  if (isJpeg(head)) return jpegDimensions(base64);
  // Bytes decide the format (clients mislabel media types); the declared type only orders the tries.
  const declared = PARSERS[mediaType.toLowerCase()];
  const parsers = declared ? [declared, ...Object.values(PARSERS)] : Object.values(PARSERS);
  for (const parse of parsers) {
    const dims = parse(head);
    if (dims) return valid(dims);
  }
  return undefined;
}

const PARSERS: Record<string, Parser> = {
  "image/png": pngDimensions,
  "image/gif": gifDimensions,
  "image/webp": webpDimensions,
};

function stripDataUrl(data: string): string {
  if (!data.startsWith("data:")) return data;
  const comma = data.indexOf(",");
  return comma < 0 ? data : data.slice(comma + 1);
}

/** Decodes at least `bytes` bytes (or the whole string if shorter); undefined if not base64. */
function decodePrefix(base64: string, bytes: number): Uint8Array | undefined {
  const chars = Math.ceil(bytes / 3) * 4;
  const whole = base64.length <= chars;
  let chunk = (whole ? base64 : base64.slice(0, chars)).replace(/\s+/g, "");
  if (!whole) chunk = chunk.slice(0, chunk.length - (chunk.length % 4));
  let binary: string;
  try {
    binary = atob(chunk);
  } catch {
    return undefined;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function valid(dims: ImageDimensions): ImageDimensions | undefined {
  return dims.width > 0 && dims.height > 0 ? dims : undefined;
}

function at(bytes: Uint8Array, i: number): number {
  return bytes[i] ?? 0;
}

function u16be(b: Uint8Array, i: number): number {
  return (at(b, i) << 8) | at(b, i + 1);
}

function u16le(b: Uint8Array, i: number): number {
  return at(b, i) | (at(b, i + 1) << 8);
}

function u24le(b: Uint8Array, i: number): number {
  return at(b, i) | (at(b, i + 1) << 8) | (at(b, i + 2) << 16);
}

function u32be(b: Uint8Array, i: number): number {
  return ((at(b, i) << 24) | (at(b, i + 1) << 16) | (at(b, i + 2) << 8) | at(b, i + 3)) >>> 0;
}

function ascii(b: Uint8Array, start: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (b[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

function pngDimensions(b: Uint8Array): ImageDimensions | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length < 24 || !signature.every((v, i) => b[i] === v) || !ascii(b, 12, "IHDR")) return undefined;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

function gifDimensions(b: Uint8Array): ImageDimensions | undefined {
  if (b.length < 10 || !(ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a"))) return undefined;
  return { width: u16le(b, 6), height: u16le(b, 8) };
}

function webpDimensions(b: Uint8Array): ImageDimensions | undefined {
  if (b.length < 25 || !ascii(b, 0, "RIFF") || !ascii(b, 8, "WEBP")) return undefined;
  if (ascii(b, 12, "VP8X") && b.length >= 30) return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  if (ascii(b, 12, "VP8L")) {
    if (b[20] !== 0x2f) return undefined;
    // 14-bit width-1 then 14-bit height-1, little-endian bit order.
    const bits = (at(b, 21) | (at(b, 22) << 8) | (at(b, 23) << 16) | (at(b, 24) << 24)) >>> 0;
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (ascii(b, 12, "VP8 ") && b.length >= 30) {
    // Lossy key frame: 3-byte frame tag, then the start code 9d 01 2a.
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return undefined;
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  return undefined;
}

function isJpeg(b: Uint8Array): boolean {
  return b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

/** Decodes growing windows until the SOFn marker is in reach, capped at JPEG_MAX_WINDOW. */
function jpegDimensions(base64: string): ImageDimensions | undefined {
  for (let window = JPEG_FIRST_WINDOW; ; window *= 4) {
    const capped = Math.min(window, JPEG_MAX_WINDOW);
    const bytes = decodePrefix(base64, capped);
    if (!bytes) return undefined;
    const result = scanJpeg(bytes);
    if (result !== "more") return result && valid(result);
    // The whole image is decoded, or the cap is reached: give up.
    if (bytes.length < capped || capped >= JPEG_MAX_WINDOW) return undefined;
  }
}

/** Walks marker segments; "more" means the frame header lies beyond the decoded bytes. */
function scanJpeg(b: Uint8Array): ImageDimensions | undefined | "more" {
  let i = 2;
  while (i < b.length) {
    if (b[i] !== 0xff) return undefined;
    while (b[i] === 0xff) i++; // fill bytes
    if (i >= b.length) return "more";
    const marker = at(b, i);
    i++;
    // Standalone markers carry no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
    if (marker === 0xd9 || marker === 0xda) return undefined; // EOI / SOS before any frame
    if (i + 2 > b.length) return "more";
    const length = u16be(b, i);
    if (length < 2) return undefined;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (i + 7 > b.length) return "more";
      return { width: u16be(b, i + 5), height: u16be(b, i + 3) };
    }
    i += length;
  }
  return "more";
}
