import { rgb } from 'pdf-lib';
import type { TextStyle } from './layout.js';

// One palette for every PDF Docket makes, so a cover sheet, a register and a weekly summary read
// as one family (and match the web pages' ink, accent and danger colours).
export const INK = rgb(0.11, 0.12, 0.14);
export const MUTED = rgb(0.42, 0.44, 0.47);
export const ACCENT = rgb(0.11, 0.25, 0.42);
export const DANGER = rgb(0.64, 0.09, 0.1);
export const RULE = rgb(0.8, 0.82, 0.85);
export const FILL = rgb(0.93, 0.95, 0.97);
export const STRIPE = rgb(0.975, 0.98, 0.985);

/** A text style in one line: face, size and (by default) ink. */
export function style(face: TextStyle['face'], size: number, color = INK): TextStyle {
  return { face, size, color };
}
