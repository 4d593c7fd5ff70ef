// `vflip { p 0.5 }`: mirror images top to bottom.
import { verticalFlip } from '../image.ts';
import { flipTransform } from './warp.ts';

export const vflip = flipTransform('vflip', verticalFlip, 'vertical flip');
