import { describe, expect, it } from "vitest";
import { imageDimensionsFromBase64 } from "./image-dimensions.js";

function toBase64(bytes: number[]): string {
  return btoa(String.fromCharCode(...bytes));
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
const u16be = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
const u16le = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
const u24le = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff];
const u32be = (v: number): number[] => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const u32le = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];

function pngBytes(width: number, height: number): number[] {
  const ihdr = [...u32be(width), ...u32be(height), 8, 6, 0, 0, 0];
  return [
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...u32be(13),
    ...ascii("IHDR"),
    ...ihdr,
    0,
    0,
    0,
    0,
  ];
}

function gifBytes(width: number, height: number): number[] {
  return [...ascii("GIF89a"), ...u16le(width), ...u16le(height), 0x80, 0, 0];
}

/** SOI, JFIF APP0, optional padding APP1 segments (like EXIF/ICC), SOF0, EOI. */
function jpegBytes(width: number, height: number, app1Segments = 0): number[] {
  const app0 = [0xff, 0xe0, ...u16be(16), ...ascii("JFIF"), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const app1: number[] = [];
  for (let s = 0; s < app1Segments; s++) {
    app1.push(0xff, 0xe1, ...u16be(65_000), ...new Array<number>(64_998).fill(0x41));
  }
  const sof0 = [0xff, 0xc0, ...u16be(17), 8, ...u16be(height), ...u16be(width), 3];
  sof0.push(1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1);
  return [0xff, 0xd8, ...app0, ...app1, ...sof0, 0xff, 0xd9];
}

function riff(chunk: string, payload: number[]): number[] {
  return [...ascii("RIFF"), ...u32le(payload.length + 12), ...ascii("WEBP"), ...ascii(chunk), ...payload];
}

function webpVp8x(width: number, height: number): number[] {
  return riff("VP8X", [...u32le(10), 0x10, 0, 0, 0, ...u24le(width - 1), ...u24le(height - 1)]);
}

function webpVp8l(width: number, height: number): number[] {
  const bits = ((width - 1) | ((height - 1) << 14)) >>> 0;
  return riff("VP8L", [...u32le(5), 0x2f, ...u32le(bits)]);
}

function webpVp8(width: number, height: number): number[] {
  return riff("VP8 ", [...u32le(10), 0x9d, 0x01, 0x2a, 0x9d, 0x01, 0x2a, ...u16le(width), ...u16le(height)]);
}

/** Builds big byte arrays without spreading them into one call (stack limits). */
function largeBase64(bytes: number[]): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode(...bytes.slice(i, i + 8192));
  return btoa(binary);
}

describe("imageDimensionsFromBase64", () => {
  it("reads PNG IHDR", () => {
    expect(imageDimensionsFromBase64(toBase64(pngBytes(1000, 750)), "image/png")).toEqual({
      width: 1000,
      height: 750,
    });
  });

  it("reads the GIF logical screen", () => {
    expect(imageDimensionsFromBase64(toBase64(gifBytes(320, 200)), "image/gif")).toEqual({
      width: 320,
      height: 200,
    });
  });

  it("reads a minimal JPEG's SOF0", () => {
    expect(imageDimensionsFromBase64(toBase64(jpegBytes(640, 480)), "image/jpeg")).toEqual({
      width: 640,
      height: 480,
    });
  });

  it("finds SOF0 behind large APP segments by decoding growing windows", () => {
    const data = largeBase64(jpegBytes(4032, 3024, 2));
    expect(imageDimensionsFromBase64(data, "image/jpeg")).toEqual({ width: 4032, height: 3024 });
  });

  it("gives up on a JPEG whose frame header lies beyond the cap", () => {
    const data = largeBase64(jpegBytes(100, 100, 5));
    expect(imageDimensionsFromBase64(data, "image/jpeg")).toBeUndefined();
  });

  it("reads WebP VP8X, VP8L and VP8", () => {
    expect(imageDimensionsFromBase64(toBase64(webpVp8x(3000, 2000)), "image/webp")).toEqual({
      width: 3000,
      height: 2000,
    });
    expect(imageDimensionsFromBase64(toBase64(webpVp8l(512, 256)), "image/webp")).toEqual({
      width: 512,
      height: 256,
    });
    expect(imageDimensionsFromBase64(toBase64(webpVp8(800, 600)), "image/webp")).toEqual({
      width: 800,
      height: 600,
    });
  });

  it("trusts the bytes over a wrong media type, and accepts data URLs", () => {
    const png = toBase64(pngBytes(10, 20));
    expect(imageDimensionsFromBase64(png, "image/jpeg")).toEqual({ width: 10, height: 20 });
    expect(imageDimensionsFromBase64(`data:image/png;base64,${png}`, "image/png")).toEqual({
      width: 10,
      height: 20,
    });
  });

  it("decodes only the header: a broken tail does not matter", () => {
    const data = `${toBase64(pngBytes(64, 32))}!!!!not base64 at all`;
    expect(imageDimensionsFromBase64(data, "image/png")).toEqual({ width: 64, height: 32 });
  });

  it("returns undefined for garbage, truncation and unknown formats", () => {
    expect(imageDimensionsFromBase64("", "image/png")).toBeUndefined();
    expect(imageDimensionsFromBase64("!!!!%%%%", "image/png")).toBeUndefined();
    expect(
      imageDimensionsFromBase64(btoa("hello, this is not an image at all"), "image/png"),
    ).toBeUndefined();
    expect(imageDimensionsFromBase64(toBase64(pngBytes(5, 5).slice(0, 20)), "image/png")).toBeUndefined();
    expect(
      imageDimensionsFromBase64(toBase64([0xff, 0xd8, 0xff, 0xe0, 0, 16]), "image/jpeg"),
    ).toBeUndefined();
    expect(imageDimensionsFromBase64(toBase64(ascii("BM")), "image/bmp")).toBeUndefined();
    expect(imageDimensionsFromBase64(toBase64(pngBytes(0, 10)), "image/png")).toBeUndefined();
  });
});
